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

    private static float[] run(Path dir, NDManager root, NDArray x, NDArray t, NDArray ids) throws Exception {
        try (NDManager m = root.newSubManager();
                VidrdModels models = VidrdModelLoader.load(ModelDirectory.of(dir), UNetConfig.TemporalFlags.official(), m,
                        Precision.FP32)) {
            return models.unet().forward(x, t, models.textEncoder().forward(ids)).toFloatArray();
        }
    }
}
