package io.vidrd.engine.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidrd.engine.golden.GoldenFiles;
import io.vidrd.runtime.checkpoint.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DdimScheduleTest {

    private static DdimSchedule schedule;

    @BeforeAll
    static void load() throws IOException {
        schedule = DdimSchedule.load(GoldenFiles.sd().resolve("scheduler"));
    }

    @Test
    void configIsReadAsDdim() {
        SchedulerConfig c = schedule.config();
        assertEquals(new SchedulerConfig(1000, 0.00085, 0.012, BetaSchedule.SCALED_LINEAR, 1, false), c);
    }

    @Test
    void betasAndAlphasCumprodAreBitExact() throws IOException {
        try (StateDict dict = GoldenFiles.tensors()) {
            assertBitsEqual(GoldenFiles.floats(dict, "scheduler.betas"), schedule.betas(), "betas");
            assertBitsEqual(GoldenFiles.floats(dict, "scheduler.alphas_cumprod"), schedule.alphasCumprod(),
                    "alphas_cumprod");
        }
        assertEquals(0.99914998f, schedule.alphaCumprod(0), 1e-8f);
        assertEquals(0.99829602f, schedule.alphaCumprod(1), 1e-8f);
        assertEquals(0.0057754959f, schedule.alphaCumprod(981), 1e-10f);
    }

    @Test
    void timestepsEqualGolden() throws IOException {
        try (StateDict dict = GoldenFiles.tensors()) {
            assertArrayEquals(GoldenFiles.longs(dict, "pipe_single.timesteps"), widen(schedule.timesteps(4)));
            assertArrayEquals(GoldenFiles.longs(dict, "pipe_long.timesteps"), widen(schedule.timesteps(5)));
        }
        assertArrayEquals(new int[] {751, 501, 251, 1}, schedule.timesteps(4));
        int[] fifty = schedule.timesteps(50);
        assertEquals(981, fifty[0]);
        assertEquals(961, fifty[1]);
        assertEquals(1, fifty[49]);
        assertThrows(IllegalArgumentException.class, () -> schedule.timesteps(0));
        assertThrows(IllegalArgumentException.class, () -> schedule.timesteps(1001));
    }

    @Test
    void lastStepUsesAlphaZeroUnlessSetToOne() {
        assertEquals(schedule.alphaCumprod(0), schedule.alphaCumprodPrev(1, 50));
        assertEquals(schedule.alphaCumprod(1), schedule.alphaCumprodPrev(21, 50));
        assertEquals(schedule.alphaCumprod(501), schedule.alphaCumprodPrev(751, 4));
        SchedulerConfig c = schedule.config();
        DdimSchedule one = DdimSchedule.of(new SchedulerConfig(c.numTrainTimesteps(), c.betaStart(),
                c.betaEnd(), c.betaSchedule(), c.stepsOffset(), true));
        assertEquals(1f, one.alphaCumprodPrev(1, 50));
        DdimCoefficients last = one.coefficients(1, 50);
        assertEquals(1f, last.sqrtAlphaPrev());
        assertEquals(0f, last.sqrtOneMinusAlphaPrev());
    }

    @Test
    void coefficientsAreFp32SquareRoots() {
        DdimCoefficients k = schedule.coefficients(751, 4);
        float a = schedule.alphaCumprod(751);
        float p = schedule.alphaCumprod(501);
        assertEquals((float) Math.sqrt(1f - a), k.sqrtOneMinusAlpha());
        assertEquals((float) Math.sqrt(a), k.sqrtAlpha());
        assertEquals((float) Math.sqrt(p), k.sqrtAlphaPrev());
        assertEquals((float) Math.sqrt(1f - p), k.sqrtOneMinusAlphaPrev());
    }

    @Test
    void stepReproducesPipeSingle() throws IOException {
        int[] timesteps = schedule.timesteps(4);
        try (StateDict dict = GoldenFiles.tensors()) {
            for (int i = 0; i < timesteps.length; i++) {
                String prefix = String.format("pipe_single.step%02d.", i);
                float[] x = GoldenFiles.floats(dict, prefix + "latents_in");
                float[] eps = guided(GoldenFiles.floats(dict, prefix + "eps_uncond"),
                        GoldenFiles.floats(dict, prefix + "eps_text"), 7.5f);
                float[] out = schedule.step(x, eps, timesteps[i], 4);
                assertClose(GoldenFiles.floats(dict, prefix + "latents_out"), out, 2e-3, 6e-5, prefix);
            }
        }
    }

    @Test
    void stepReproducesFirstClipOfPipeLong() throws IOException {
        int[] timesteps = schedule.timesteps(5);
        try (StateDict dict = GoldenFiles.tensors()) {
            for (int i = 0; i < timesteps.length; i++) {
                String prefix = String.format("pipe_long.clip0.step%02d.", i);
                float[] x = GoldenFiles.floats(dict, prefix + "latents_in");
                float[] eps = guided(GoldenFiles.floats(dict, prefix + "eps_uncond"),
                        GoldenFiles.floats(dict, prefix + "eps_text"), 10f);
                float[] out = schedule.step(x, eps, timesteps[i], 5);
                assertClose(GoldenFiles.floats(dict, prefix + "latents_out"), out, 2e-2, 6e-4, prefix);
            }
        }
    }

    @Test
    void linearScheduleRunsFromStartToEnd() {
        DdimSchedule linear = DdimSchedule.of(new SchedulerConfig(1000, 0.0001, 0.02,
                BetaSchedule.LINEAR, 0, true));
        float[] b = linear.betas();
        assertEquals(0.0001f, b[0]);
        assertEquals(0.02f, b[999]);
        assertArrayEquals(new int[] {750, 500, 250, 0}, linear.timesteps(4));
        assertEquals(1f, linear.alphaCumprodPrev(0, 4));
    }

    @Test
    void unsupportedConfigsAreRejectedByName(@TempDir Path tmp) throws IOException {
        String base = Files.readString(GoldenFiles.sd().resolve("scheduler").resolve(SchedulerConfig.FILE_NAME));
        assertRejected(tmp, base.replace("\"epsilon\"", "\"v_prediction\""), "prediction_type");
        assertRejected(tmp, base.replace("\"scaled_linear\"", "\"squaredcos_cap_v2\""), "beta_schedule");
        assertRejected(tmp, base.replace("\"clip_sample\": false", "\"clip_sample\": true"), "clip_sample");
        assertRejected(tmp, base.replace("\"trained_betas\": null", "\"trained_betas\": [0.1]"),
                "trained_betas");
        assertRejected(tmp, base.replace("\"steps_offset\": 1", "\"steps_offset\": \"1\""), "steps_offset");
        assertRejected(tmp, base.replace("{", "{\"timestep_spacing\": \"trailing\","), "timestep_spacing");
        assertRejected(tmp, base.substring(0, base.length() / 2), "invalid JSON");
        IOException missing = assertThrows(IOException.class,
                () -> SchedulerConfig.load(tmp.resolve("nowhere.json")));
        assertTrue(missing.getMessage().contains("nowhere.json"), missing.getMessage());
    }

    private static void assertRejected(Path dir, String json, String mentioned) throws IOException {
        Path file = dir.resolve("scheduler_config.json");
        Files.writeString(file, json);
        IOException e = assertThrows(IOException.class, () -> SchedulerConfig.load(file), mentioned);
        assertTrue(e.getMessage().contains(mentioned), e.getMessage());
        assertTrue(e.getMessage().contains("scheduler_config.json"), e.getMessage());
    }

    private static float[] guided(float[] uncond, float[] text, float scale) {
        float[] eps = new float[uncond.length];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = uncond[i] + scale * (text[i] - uncond[i]);
        }
        return eps;
    }

    private static void assertClose(float[] expected, float[] actual, double atol, double relL2,
            String what) {
        assertEquals(expected.length, actual.length, what);
        double maxAbs = 0;
        double diff2 = 0;
        double ref2 = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = (double) actual[i] - expected[i];
            maxAbs = Math.max(maxAbs, Math.abs(d));
            diff2 += d * d;
            ref2 += (double) expected[i] * expected[i];
        }
        double rel = Math.sqrt(diff2 / ref2);
        assertTrue(maxAbs <= atol && rel <= relL2,
                what + " max abs " + maxAbs + " (atol " + atol + "), rel L2 " + rel + " (" + relL2 + ")");
    }

    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + "[" + i + "]: expected " + expected[i] + " got " + actual[i]);
        }
    }

    private static long[] widen(int[] v) {
        return Arrays.stream(v).asLongStream().toArray();
    }
}
