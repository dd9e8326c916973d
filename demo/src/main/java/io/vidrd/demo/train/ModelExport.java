package io.vidrd.demo.train;

import io.vidrd.runtime.checkpoint.Checkpoints;
import io.vidrd.runtime.checkpoint.SafetensorsWriter;
import io.vidrd.runtime.checkpoint.StateDict;
import io.vidrd.runtime.checkpoint.TensorRecord;
import io.vidrd.runtime.checkpoint.TensorType;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Copies a trained model folder for shipping, every fp32 tensor of its {@code .safetensors} files
 * stored as fp16 (half the size; the loaders widen it back to fp32, VidRD's inference precision).
 *
 * <p>With {@code --average FILE} (a checkpoint's {@link WeightAverage}) every weight the average
 * holds is taken from it instead, which is the copy to ship: diffusion models sample better from
 * averaged weights than from the last optimiser step.
 *
 * <p>Usage: {@code ModelExport SOURCE_MODEL_DIR TARGET_DIR [--average FILE]} (e.g.
 * {@code run/checkpoint/model demo/model --average run/checkpoint/average.safetensors})
 */
public final class ModelExport {

    private ModelExport() {
    }

    /**
     * @param args source and target folders
     * @throws IOException on read or write failure
     */
    public static void main(String[] args) throws IOException {
        boolean averaged = args.length == 4 && args[2].equals("--average");
        if (args.length != 2 && !averaged) {
            System.err.println("usage: ModelExport SOURCE_MODEL_DIR TARGET_DIR [--average AVERAGE_FILE]");
            System.exit(2);
        }
        if (averaged) {
            export(Path.of(args[0]), Path.of(args[1]), Path.of(args[3]));
        } else {
            export(Path.of(args[0]), Path.of(args[1]));
        }
    }

    /**
     * @param source a model folder
     * @param target where the copy goes (created; files of the same names are replaced)
     * @throws IOException on read or write failure
     */
    public static void export(Path source, Path target) throws IOException {
        export(source, target, Map.of(), new TreeSet<>());
    }

    /**
     * @param source a model folder
     * @param target where the copy goes (created; files of the same names are replaced)
     * @param average a {@link WeightAverage} file whose tensors replace those of the same key
     * @throws IOException on read or write failure, or if a tensor of the average is not in the model
     */
    public static void export(Path source, Path target, Path average) throws IOException {
        Map<String, TensorRecord> replacements = new HashMap<>();
        try (StateDict dict = Checkpoints.open(average)) {
            for (TensorRecord r : dict.tensors().values()) {
                if (r.type().isFloating()) {
                    replacements.put(r.key(), r);
                }
            }
            Set<String> unused = new TreeSet<>(replacements.keySet());
            export(source, target, replacements, unused);
            if (!unused.isEmpty()) {
                throw new IOException(average + ": " + unused.size() + " averaged weights are not in " + source
                        + ", e.g. " + unused.iterator().next());
            }
        }
    }

    private static void export(Path source, Path target, Map<String, TensorRecord> replacements, Set<String> unused)
            throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            Path out = target.resolve(source.relativize(file).toString());
            Files.createDirectories(out.getParent());
            if (file.getFileName().toString().endsWith(".safetensors")) {
                halve(file, out, replacements, unused);
            } else {
                Files.copy(file, out, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void halve(Path file, Path out, Map<String, TensorRecord> replacements, Set<String> unused)
            throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        try (StateDict dict = Checkpoints.open(file)) {
            for (TensorRecord original : dict.tensors().values()) {
                TensorRecord r = original;
                TensorRecord replacement = replacements.get(original.key());
                if (replacement != null) {
                    if (!Arrays.equals(replacement.shape(), original.shape())) {
                        throw new IOException(file + ": " + original.key() + " has shape "
                                + Arrays.toString(original.shape()) + ", its average "
                                + Arrays.toString(replacement.shape()));
                    }
                    unused.remove(original.key());
                    if (replacement.type() == TensorType.FLOAT16) {
                        w.put(replacement);
                        continue;
                    }
                    r = replacement;
                }
                if (r.type() != TensorType.FLOAT32) {
                    w.put(r);
                    continue;
                }
                FloatBuffer buffer = r.read().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                w.putFloats(r.key(), TensorType.FLOAT16, r.shape(), values);
            }
        }
        w.write(out);
    }
}
