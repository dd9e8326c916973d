package io.vidrd.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vidrd.engine.golden.GoldenFiles;
import io.vidrd.engine.model.ModelDirectory;
import io.vidrd.engine.model.VidrdModelLoader;
import io.vidrd.engine.model.VidrdModels;
import io.vidrd.engine.tokenizer.ClipTokenizer;
import io.vidrd.engine.unet.UNetConfig;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.Torch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptEncoderTest {

    @Test
    void unconditionalRowsComeFirstAndTruncationIsReported() throws Exception {
        ModelDirectory dir = ModelDirectory.of(GoldenFiles.dir());
        try (NDManager root = Torch.newManager(Device.cpu());
                VidrdModels models = VidrdModelLoader.load(dir, UNetConfig.TemporalFlags.official(), root, Precision.FP32)) {
            ClipTokenizer tokenizer = ClipTokenizer.load(dir.tokenizer());
            List<String> warnings = new ArrayList<>();
            try (NDManager job = root.newSubManager();
                    PromptEncoder e = new PromptEncoder(tokenizer, models.textEncoder(), job, warnings::add)) {
                NDArray batch = e.conditioning(List.of("wood on fire", "a boat"), "watermark", 10);
                assertEquals(new Shape(4, 77, 32), batch.getShape());
                float[] neg = e.embed("watermark").toFloatArray();
                assertArrayEquals(neg, batch.get(0).toFloatArray());
                assertArrayEquals(neg, batch.get(1).toFloatArray());
                assertArrayEquals(e.embed("wood on fire").toFloatArray(), batch.get(2).toFloatArray());
                assertArrayEquals(e.embed("a boat").toFloatArray(), batch.get(3).toFloatArray());

                // no negative prompt: the empty string; w <= 1: only the conditional rows
                NDArray noNeg = e.conditioning(List.of("wood on fire"), null, 7.5);
                assertArrayEquals(e.embed("").toFloatArray(), noNeg.get(0).toFloatArray());
                assertEquals(new Shape(1, 77, 32), e.conditioning(List.of("wood on fire"), "watermark", 1.0).getShape());
                assertSame(noNeg, e.conditioning(List.of("wood on fire"), null, 7.5), "cached per job");
                assertTrue(warnings.isEmpty());

                String longPrompt = "a small red boat ".repeat(30);
                e.conditioning(List.of(longPrompt), null, 7.5);
                e.conditioning(List.of(longPrompt), "x", 7.5);
                assertEquals(1, warnings.size(), "one warning per prompt: " + warnings);
                assertTrue(warnings.get(0).startsWith("The following part of your input was truncated"));
            }
        }
    }
}
