package io.vidrd.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vidrd.engine.golden.GoldenFiles;
import io.vidrd.engine.model.ModelDirectory;
import io.vidrd.engine.model.VidrdModelLoader;
import io.vidrd.engine.model.VidrdModels;
import io.vidrd.engine.schedule.DdimSchedule;
import io.vidrd.engine.tokenizer.ClipTokenizer;
import io.vidrd.engine.unet.UNetConfig;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.Torch;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A denoising step (guided U-Net call, guidance, DDIM update) creates no array from host data.
 *
 * <p>Every DJL array made from Java data ({@code manager.create(...)}, and the 0-dim array DJL
 * makes for a Java number operand such as {@code x.mul(0.5f)}) is first put in a new direct
 * {@code ByteBuffer}; on a GPU that array is then a blocking host-to-device copy. The JVM counts
 * direct buffers until the collector frees them; the count is settled (collected) before the
 * step and read right after it without collecting, so any such array in the step raises it (a
 * collection inside the step could only hide one, never report one falsely). The check runs on the
 * CPU with the golden model: the code path is the one the GPU runs, except the blocks' GPU-only
 * fast paths, which create nothing either (their constants are made at load time).
 */
class NoHostCopiesTest {

    private static NDManager root;
    private static VidrdModels models;
    private static ClipTokenizer tokenizer;
    private static DdimSchedule schedule;

    @BeforeAll
    static void load() throws Exception {
        root = Torch.newManager(Device.cpu());
        ModelDirectory dir = ModelDirectory.of(GoldenFiles.dir());
        models = VidrdModelLoader.load(dir, UNetConfig.TemporalFlags.official(), root, Precision.FP32);
        tokenizer = ClipTokenizer.load(dir.tokenizer());
        schedule = DdimSchedule.load(dir.schedulerConfig());
    }

    @AfterAll
    static void close() {
        if (root != null) {
            root.close();
        }
    }

    /** Collects garbage first, so that buffers freed later can only hide copies, never invent them. */
    private static long settledDirectBuffers() {
        System.gc();
        try {
            Thread.sleep(100);   // the cleaner releases the buffers found unreachable
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return directBuffers();
    }

    private static long directBuffers() {
        long n = 0;
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                n += b.getCount();
            }
        }
        return n;
    }

    @Test
    void aGuidedStepCopiesNothingFromTheHost() {
        SamplingPlan plan = SamplingPlan.of(6, 1, 3, 10, 8, 8);
        GuidedDdimStep step = new GuidedDdimStep(models.unet(), schedule);
        try (NDManager job = root.newSubManager();
                PromptEncoder encoder = new PromptEncoder(tokenizer, models.textEncoder(), job, w -> {})) {
            NDArray text = encoder.conditioning(List.of("wood on fire"), "watermark", plan.guidanceScale());
            SamplingConstants k = SamplingConstants.create(job, models.unet(), schedule, plan);
            NDArray x = job.randomNormal(new Shape(plan.latentShape(4)));
            try (NDManager warm = job.newSubManager()) {
                warm.tempAttachAll(x, text);
                step.apply(x, text, k, 0);
            }
            try (NDManager m = job.newSubManager()) {
                m.tempAttachAll(x, text);
                long before = settledDirectBuffers();
                GuidedDdimStep.Result r = step.apply(x, text, k, 1);
                long after = directBuffers();
                assertTrue(after <= before, (after - before) + " arrays were created from host data in one step");

                // the probe sees what it must forbid: a Java number operand
                long probe = settledDirectBuffers();
                r.latentsOut().mul(0.5f);
                assertTrue(directBuffers() > probe, "a Java number operand must show as a host-made array");
            }
        }
    }
}
