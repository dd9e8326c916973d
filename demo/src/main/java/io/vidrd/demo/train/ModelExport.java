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
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies a trained model folder for shipping, every fp32 tensor of its {@code .safetensors} files
 * stored as fp16 (half the size; the loaders widen it back to fp32, VidRD's inference precision).
 *
 * <p>Usage: {@code ModelExport SOURCE_MODEL_DIR TARGET_DIR} (e.g. {@code run/checkpoint/model demo/model})
 */
public final class ModelExport {

    private ModelExport() {
    }

    /**
     * @param args source and target folders
     * @throws IOException on read or write failure
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ModelExport SOURCE_MODEL_DIR TARGET_DIR");
            System.exit(2);
        }
        export(Path.of(args[0]), Path.of(args[1]));
    }

    /**
     * @param source a model folder
     * @param target where the copy goes (created; files of the same names are replaced)
     * @throws IOException on read or write failure
     */
    public static void export(Path source, Path target) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            Path out = target.resolve(source.relativize(file).toString());
            Files.createDirectories(out.getParent());
            if (file.getFileName().toString().endsWith(".safetensors")) {
                halve(file, out);
            } else {
                Files.copy(file, out, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void halve(Path file, Path out) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        try (StateDict dict = Checkpoints.open(file)) {
            for (TensorRecord r : dict.tensors().values()) {
                if (r.type() != TensorType.FLOAT32) {
                    w.put(r);
                    continue;
                }
                FloatBuffer values = r.read().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                short[] bits = new short[values.remaining()];
                for (int i = 0; i < bits.length; i++) {
                    bits[i] = HalfFloat.fromFloat(values.get(i));
                }
                w.putHalf(r.key(), r.shape(), bits);
            }
        }
        w.write(out);
    }
}
