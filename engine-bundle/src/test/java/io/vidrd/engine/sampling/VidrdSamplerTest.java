package io.vidrd.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vidrd.engine.golden.GoldenFiles;
import io.vidrd.engine.model.ModelDirectory;
import io.vidrd.engine.model.VidrdModelLoader;
import io.vidrd.engine.model.VidrdModels;
import io.vidrd.engine.schedule.DdimSchedule;
import io.vidrd.engine.tokenizer.ClipTokenizer;
import io.vidrd.engine.unet.UNetConfig;
import io.vidrd.runtime.NoiseSource;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.SeededNoiseSource;
import io.vidrd.runtime.Torch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sampling loop on the golden (tiny) model: determinism, draws, cancellation, memory, conditioning. */
class VidrdSamplerTest {

    private static NDManager root;
    private static VidrdModels models;
    private static ClipTokenizer tokenizer;
    private static VidrdSampler sampler;

    @BeforeAll
    static void load() throws Exception {
        root = Torch.newManager(Device.cpu());
        ModelDirectory dir = ModelDirectory.of(GoldenFiles.dir());
        models = VidrdModelLoader.load(dir, UNetConfig.TemporalFlags.official(), root, Precision.FP32);
        tokenizer = ClipTokenizer.load(dir.tokenizer());
        sampler = new VidrdSampler(models.unet(), DdimSchedule.load(dir.schedulerConfig()));
    }

    @AfterAll
    static void close() {
        if (root != null) {
            root.close();
        }
    }

    private static SamplingPlan longPlan(int clips, int steps) {
        return SamplingPlan.of(6, clips, steps, 10, 8, 8).withLongVideo(4, 4, 0.4);
    }

    /** Collects every clip's final latents on the host. */
    private static final class Clips implements SamplingListener {
        final List<float[]> latents = new ArrayList<>();
        int steps;

        @Override
        public void onClip(int clip, NDArray finalLatents) {
            assertEquals(latents.size(), clip);
            latents.add(finalLatents.toFloatArray());
        }

        @Override
        public void onStep(int clip, int step, int total) {
            steps++;
        }
    }

    private static Clips run(SamplingPlan plan, NoiseSource noise, String... prompts) {
        try (NDManager job = root.newSubManager();
                PromptEncoder encoder = new PromptEncoder(tokenizer, models.textEncoder(), job, w -> {})) {
            Clips clips = new Clips();
            sampler.sample(job, plan, encoder.schedule(k -> prompts[k % prompts.length], "watermark", plan.guidanceScale()),
                    noise, null, clips);
            return clips;
        }
    }

    @Test
    void sameSeedSameLatentsOtherSeedOtherLatents() {
        Clips a = run(longPlan(2, 2), new SeededNoiseSource(7), "wood on fire");
        Clips b = run(longPlan(2, 2), new SeededNoiseSource(7), "wood on fire");
        Clips c = run(longPlan(2, 2), new SeededNoiseSource(8), "wood on fire");
        assertEquals(2, a.latents.size());
        assertEquals(4, a.steps);
        for (int k = 0; k < 2; k++) {
            assertArrayEquals(a.latents.get(k), b.latents.get(k));
            assertFalse(Arrays.equals(a.latents.get(k), c.latents.get(k)));
        }
    }

    @Test
    void promptScheduleChangesOnlyLaterClips() {
        Clips one = run(longPlan(2, 2), new SeededNoiseSource(3), "wood on fire");
        Clips two = run(longPlan(2, 2), new SeededNoiseSource(3), "wood on fire", "a boat is sailing in a lake");
        assertArrayEquals(one.latents.get(0), two.latents.get(0));
        assertFalse(Arrays.equals(one.latents.get(1), two.latents.get(1)));
    }

    /** Records the shape and std of every draw. */
    private static final class Logged implements NoiseSource {
        final NoiseSource inner = new SeededNoiseSource(1);
        final List<String> calls = new ArrayList<>();

        @Override
        public float[] normal(long[] shape, float mean, float std) {
            calls.add(Arrays.toString(shape) + " std " + std);
            return inner.normal(shape, mean, std);
        }

        @Override
        public int drawCount() {
            return inner.drawCount();
        }
    }

    @Test
    void drawsFollowTheOfficialOrder() {
        Logged noise = new Logged();
        run(longPlan(3, 1), noise, "wood on fire");
        List<String> expected = new ArrayList<>();
        for (int f = 0; f < 6; f++) {
            expected.add("[1, 4, 1, 8, 8] std 1.0");
        }
        String reuse = "[1, 4, 6, 8, 8] std " + (float) (1 / Math.sqrt(17));
        expected.add(reuse);
        expected.add(reuse);
        assertEquals(expected, noise.calls);
    }

    @Test
    void givenInitialLatentsDrawNothingForOneClip() {
        Logged noise = new Logged();
        try (NDManager job = root.newSubManager();
                PromptEncoder encoder = new PromptEncoder(tokenizer, models.textEncoder(), job, w -> {})) {
            NDArray init = job.randomNormal(new ai.djl.ndarray.types.Shape(1, 4, 6, 8, 8));
            Clips clips = new Clips();
            sampler.sample(job, SamplingPlan.of(6, 1, 2, 7.5, 8, 8),
                    ClipConditioning.constant(encoder.conditioning(List.of("a"), null, 7.5)), noise, init, clips);
            assertEquals(List.of(), noise.calls);
            assertEquals(1, clips.latents.size());
        }
    }

    @Test
    void edgeCasesOfPromptFramesRun() {
        for (int m : new int[] {0, 6}) {
            Clips c = run(SamplingPlan.of(6, 2, 2, 10, 8, 8).withLongVideo(m, 4, 0.4), new SeededNoiseSource(5), "x");
            assertEquals(2, c.latents.size());
            for (float v : c.latents.get(1)) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void cancellationStopsWithinOneStepAndFreesTheJob() {
        try (NDManager job = root.newSubManager();
                PromptEncoder encoder = new PromptEncoder(tokenizer, models.textEncoder(), job, w -> {})) {
            ClipConditioning text = encoder.schedule(k -> "wood on fire", "watermark", 10);
            text.forClip(0);
            int before = job.getManagedArrays().size();
            int weights = models.manager().getManagedArrays().size();
            int[] stepsDone = {0};
            SamplingListener cancelAfter3 = new SamplingListener() {
                @Override
                public void onClip(int clip, NDArray finalLatents) {}

                @Override
                public void onStep(int clip, int step, int steps) {
                    stepsDone[0]++;
                }

                @Override
                public boolean cancelled() {
                    return stepsDone[0] >= 3;
                }
            };
            SamplingCancelledException e = assertThrows(SamplingCancelledException.class,
                    () -> sampler.sample(job, longPlan(3, 2), text, new SeededNoiseSource(1), null, cancelAfter3));
            assertEquals(3, stepsDone[0]);
            assertEquals(1, e.clip());
            assertEquals(1, e.step());
            assertEquals(before, job.getManagedArrays().size(), "the run's arrays are released");
            assertEquals(weights, models.manager().getManagedArrays().size(), "nothing lands on the weights");
        }
    }

    @Test
    void liveArraysDoNotGrowWithClips() {
        try (NDManager job = root.newSubManager();
                PromptEncoder encoder = new PromptEncoder(tokenizer, models.textEncoder(), job, w -> {})) {
            ClipConditioning text = encoder.schedule(k -> "wood on fire", "watermark", 10);
            text.forClip(0);
            int before = job.getManagedArrays().size();
            List<Integer> liveAtClipEnd = new ArrayList<>();
            SamplingListener listener = new SamplingListener() {
                @Override
                public void onClip(int clip, NDArray finalLatents) {
                    // what a decoder would do: derived arrays land on the clip's view manager
                    finalLatents.mul(2f).sum();
                    liveAtClipEnd.add(job.getManagedArrays().size());
                }
            };
            sampler.sample(job, longPlan(8, 2), text, new SeededNoiseSource(2), null, listener);
            assertEquals(8, liveAtClipEnd.size());
            int constants;
            try (NDManager m = job.newSubManager()) {
                SamplingConstants.create(m, models.unet(), DdimSchedule.load(ModelDirectory.of(GoldenFiles.dir())
                        .schedulerConfig()), longPlan(8, 2));
                constants = m.getManagedArrays().size();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            // x, the T stored step inputs, the listener's temporaries and the job's device constants;
            // the same at every clip
            assertTrue(liveAtClipEnd.stream().distinct().count() == 1, "live arrays per clip: " + liveAtClipEnd);
            assertTrue(liveAtClipEnd.get(0) - before <= 2 + 2 + 2 + constants,
                    "live arrays per clip: " + liveAtClipEnd + ", constants " + constants);
            assertEquals(before, job.getManagedArrays().size());
        }
    }
}
