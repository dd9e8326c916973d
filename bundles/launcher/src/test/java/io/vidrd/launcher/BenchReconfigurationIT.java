package io.vidrd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidrd.api.GenerationListener;
import io.vidrd.api.GenerationRequest;
import io.vidrd.api.Progress;
import io.vidrd.api.Video;
import io.vidrd.api.VideoGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What {@code vidrd bench} does between precisions and in its memory phase, in the distribution's
 * embedded Felix on the golden model (CPU, fp32: the dtype cannot change here, another codec
 * property does): a codec reconfigured while a job denoises, and the memory phase's jobs.
 */
class BenchReconfigurationIT {

    private static final String CODEC_PID = "io.vidrd.vae.vidrd";

    private static Path bundles() {
        return Path.of(System.getProperty("vidrd.dist.dir", "target/vidrd")).resolve("bundle");
    }

    private static String golden() {
        return Path.of(System.getProperty("vidrd.golden.dir", "../../../shared/golden")).toAbsolutePath().normalize()
                .toString();
    }

    private static GenerationRequest clip() {
        return GenerationRequest.builder("wood on fire").size(32, 32).framesPerClip(6).steps(12).seed(7).build();
    }

    @Test
    void aJobRunsThroughACodecReconfigurationAndTheMemoryPhaseRuns() throws Exception {
        Map<String, Map<String, String>> byPid = Settings.resolve(
                Map.of("model", golden(), "device", "cpu", "dtype", "fp32", "vae", "vidrd"), Map.of(), Optional.empty())
                .byPid();
        try (Container c = Container.start(List.of(bundles()), false)) {
            c.configure(byPid, 10_000);
            VideoGenerator engine = ReconfiguredEngine.await(c, "fp32", "vidrd", byPid.get(CODEC_PID), Duration.ofMinutes(2));
            assertNotNull(engine, "engine and codec registered");

            // The codec is reconfigured at step 2 and the job's worker waits until the old codec is gone
            // (deactivated: weights freed) and the new one registered, so the job meets the swap for sure.
            Map<String, String> reconfigured = new HashMap<>(byPid.get(CODEC_PID));
            reconfigured.put("slice.frames", "3");
            AtomicBoolean swapped = new AtomicBoolean();
            Video v = engine.submit(clip(), new GenerationListener() {
                @Override
                public void onProgress(Progress p) {
                    if (p.step() == 2 && !swapped.getAndSet(true)) {
                        try {
                            c.configure(Map.of(CODEC_PID, reconfigured), 10_000);
                            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                            while (!ReconfiguredEngine.codecReady(c.awaitServices(ReconfiguredEngine.CODEC_SERVICE,
                                    "(vidrd.vae.kind=vidrd)", 1_000), Map.of("slice.frames", "3"))
                                    && System.nanoTime() < deadline) {
                                Thread.sleep(50);
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            }).await();
            assertTrue(swapped.get());
            assertEquals(6, v.frameCount());
            assertEquals("3", v.metadata().get("vidrd.vae.slice_frames"), "decoded by the reconfigured codec");

            // The memory phase on the CPU (no allocator counters, nothing too large: the "oversized"
            // job is small here and succeeds): every job outcome is printed, the cancel lands.
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            new MemoryChecks(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0, "fp32", false)
                    .run(engine, clip(), 32, 6);
            String out = bytes.toString(StandardCharsets.UTF_8);
            System.out.print(out);
            assertTrue(out.contains("job_fp32: ok "), out);
            assertTrue(out.contains("cancel_job_fp32: cancelled after "), out);
            assertTrue(out.contains("oom_job_request_fp32: 32x32, 6 frames, 1 step"), out);
            assertTrue(out.contains("oom_job_fp32: ok "), out);
            assertTrue(out.contains("oom_job_was_oom_fp32: NO"), "it fit on the CPU, and the phase says so: " + out);
            assertTrue(out.contains("after_oom_job_fp32: ok "), out);
        }
    }
}
