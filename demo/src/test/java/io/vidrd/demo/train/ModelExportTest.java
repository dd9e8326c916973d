package io.vidrd.demo.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vidrd.engine.model.ModelDirectory;
import io.vidrd.engine.model.VidrdModelLoader;
import io.vidrd.engine.model.VidrdModels;
import io.vidrd.engine.unet.UNetConfig;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.Torch;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelExportTest {

    @Test
    void theHalfPrecisionCopyIsHalfTheSizeAndComputesTheSameToFp16Rounding(@TempDir Path tmp) throws Exception {
        DemoModelSpec spec = DemoModelSpec.tiny();
        Path source = tmp.resolve("fp32");
        DemoModelWriter.write(source, spec, 9);
        Path target = tmp.resolve("shipped");
        ModelExport.export(source, target);
        long a = Files.size(source.resolve(DemoModelWriter.CHECKPOINT));
        long b = Files.size(target.resolve(DemoModelWriter.CHECKPOINT));
        assertTrue(b < 0.55 * a, a + " -> " + b);
        assertTrue(Files.isRegularFile(target.resolve("vidrd-defaults.properties")));
        try (NDManager root = Torch.newManager(Device.cpu())) {
            NDArray x = root.randomNormal(new Shape(1, 4, spec.frames(), 8, 8));
            NDArray t = root.create(new long[] {300});
            NDArray ids = root.create(new long[spec.tokens()], new Shape(1, spec.tokens()));
            float[] full = run(source, root, x, t, ids);
            float[] half = run(target, root, x, t, ids);
            double num = 0;
            double den = 0;
            for (int i = 0; i < full.length; i++) {
                num += (full[i] - half[i]) * (full[i] - half[i]);
                den += full[i] * full[i];
            }
            double relative = Math.sqrt(num / den);
            assertTrue(relative > 0 && relative < 5e-3, "relative L2 difference " + relative);
        }
    }

    @Test
    void theAverageReplacesTheWeightsItHoldsAndNothingElse(@TempDir Path tmp) throws Exception {
        DemoModelSpec spec = DemoModelSpec.tiny();
        Path source = tmp.resolve("fp32");
        DemoModelWriter.write(source, spec, 9);
        String key;
        float[] original;
        try (io.vidrd.runtime.checkpoint.StateDict dict = io.vidrd.runtime.checkpoint.Checkpoints.open(
                source.resolve(DemoModelWriter.CHECKPOINT))) {
            key = dict.keys().stream().filter(k -> k.endsWith("conv_in.weight")).findFirst().orElseThrow();
            original = halfRounded(dict, key);
        }
        Path averageFile = tmp.resolve("average.safetensors");
        try (NDManager m = Torch.newManager(Device.cpu()); WeightAverage average = new WeightAverage(0.5f)) {
            NDArray w = m.ones(new Shape(readShape(source, key)));
            average.update(java.util.Map.of(key, w));
            average.save(averageFile);
        }
        Path target = tmp.resolve("shipped");
        ModelExport.export(source, target, averageFile);
        try (io.vidrd.runtime.checkpoint.StateDict dict = io.vidrd.runtime.checkpoint.Checkpoints.open(
                target.resolve(DemoModelWriter.CHECKPOINT))) {
            float[] shipped = halfRounded(dict, key);
            for (float v : shipped) {
                org.junit.jupiter.api.Assertions.assertEquals(1f, v);
            }
            org.junit.jupiter.api.Assertions.assertNotEquals(1f, original[0]);
        }
        Path wrong = tmp.resolve("wrong.safetensors");
        try (NDManager m = Torch.newManager(Device.cpu()); WeightAverage average = new WeightAverage(0.5f)) {
            average.update(java.util.Map.of("unet.missing.weight", m.ones(new Shape(2))));
            average.save(wrong);
        }
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> ModelExport.export(source, tmp.resolve("other"), wrong));
        assertTrue(e.getMessage().contains("unet.missing.weight"), e.getMessage());
    }

    private static long[] readShape(Path model, String key) throws Exception {
        try (io.vidrd.runtime.checkpoint.StateDict dict = io.vidrd.runtime.checkpoint.Checkpoints.open(
                model.resolve(DemoModelWriter.CHECKPOINT))) {
            return dict.tensors().get(key).shape();
        }
    }

    /** The tensor's values, read as fp32 or fp16 (the shipped copy). */
    private static float[] halfRounded(io.vidrd.runtime.checkpoint.StateDict dict, String key) throws Exception {
        io.vidrd.runtime.checkpoint.TensorRecord r = dict.tensors().get(key);
        java.nio.ByteBuffer raw = r.read().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[(int) r.elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.type() == io.vidrd.runtime.checkpoint.TensorType.FLOAT16 ? io.vidrd.runtime.checkpoint.HalfFloat.toFloat(raw.getShort(2 * i))
                    : raw.getFloat(4 * i);
        }
        return out;
    }

    private static float[] run(Path dir, NDManager root, NDArray x, NDArray t, NDArray ids) throws Exception {
        try (NDManager m = root.newSubManager();
                VidrdModels models = VidrdModelLoader.load(ModelDirectory.of(dir), UNetConfig.TemporalFlags.official(), m,
                        Precision.FP32)) {
            return models.unet().forward(x, t, models.textEncoder().forward(ids)).toFloatArray();
        }
    }
}
