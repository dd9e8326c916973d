package io.vidrd.engine.osgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vidrd.api.EngineInfo;
import io.vidrd.api.GenerationException;
import io.vidrd.api.GenerationJob;
import io.vidrd.api.GenerationListener;
import io.vidrd.api.GenerationRequest;
import io.vidrd.api.JobCancelledException;
import io.vidrd.api.JobStatus;
import io.vidrd.api.Progress;
import io.vidrd.api.Video;
import io.vidrd.engine.golden.GoldenFiles;
import io.vidrd.engine.model.EngineModel;
import io.vidrd.engine.model.ModelDirectory;
import io.vidrd.runtime.ComputeTarget;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.codec.DecodeOptions;
import io.vidrd.runtime.codec.LatentCodec;
import io.vidrd.vae.codec.CodecKind;
import io.vidrd.vae.codec.VaeLatentCodec;
import io.vidrd.vae.model.VaeFiles;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Jobs through the engine's scheduler and pipeline on the golden model, with the real VidRD VAE. */
class EngineJobsTest {

    private static NDManager root;
    private static EngineModel model;
    private static VaeLatentCodec vae;
    private static final EngineInfo INFO = new EngineInfo("vidrd", "test", "golden", "cpu", "fp32", Map.of());

    @BeforeAll
    static void load() throws Exception {
        root = Torch.newManager(Device.cpu());
        model = EngineModel.load(ModelDirectory.of(GoldenFiles.dir()), root, Precision.FP32);
        vae = VaeLatentCodec.open(CodecKind.VIDRD, VaeFiles.in(GoldenFiles.dir().resolve("vae_finetuned")),
                ComputeTarget.cpu(), 0, "test");
    }

    @AfterAll
    static void close() {
        vae.close();
        model.close();
        root.close();
    }

    private static JobScheduler scheduler(int queue, Supplier<LatentCodec> codec) {
        return new JobScheduler("test-engine", queue,
                new VidrdJobPipeline(model, root, codec, "(vidrd.vae.kind=vidrd)", DecodeOptions.defaults(), INFO));
    }

    private static GenerationRequest.Builder small() {
        return GenerationRequest.builder("wood on fire").size(32, 32).framesPerClip(6).steps(5);
    }

    private static int liveArrays() {
        return root.getManagedArrays().size();
    }

    @Test
    void theWorkerRunsJobsWithAutogradOffSoFusedKernelsApply() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Boolean> inference = new java.util.concurrent.atomic.AtomicReference<>();
        JobScheduler scheduler = new JobScheduler("grad-mode-test", 2, (id, request, control) -> {
            inference.set(io.vidrd.runtime.nn.FusedKernels.inferenceOnThisThread());
            throw new IllegalStateException("recorded");
        });
        try {
            EngineJob job = scheduler.submit(small().build(), io.vidrd.api.GenerationListener.noop());
            assertThrows(io.vidrd.api.GenerationException.class, job::await);
            assertEquals(Boolean.TRUE, inference.get(), "PyTorch's grad mode must be off on the job thread");
        } finally {
            scheduler.shutdown(java.time.Duration.ofSeconds(5), "test over");
        }
    }

    @Test
    void twentyJobsLeaveNoArraysBehind() throws Exception {
        JobScheduler s = scheduler(4, () -> vae);
        s.submit(small().clips(2).build(), null).await();
        int baseline = liveArrays();
        for (int i = 0; i < 20; i++) {
            Video v = s.submit(small().clips(2).seed(i).build(), null).await();
            assertEquals(12, v.frameCount());
        }
        assertEquals(baseline, liveArrays(), "arrays left after 20 jobs");
        assertTrue(s.shutdown(Duration.ofSeconds(5), "test over"));
    }

    @Test
    void cancelStopsWithinOneStepAndFreesTheJob() throws Exception {
        JobScheduler s = scheduler(4, () -> vae);
        s.submit(small().build(), null).await();
        int baseline = liveArrays();
        List<Progress> after = new CopyOnWriteArrayList<>();
        AtomicInteger cancelledAt = new AtomicInteger(-1);
        GenerationJob[] job = new GenerationJob[1];
        CountDownLatch submitted = new CountDownLatch(1);
        job[0] = s.submit(small().clips(50).build(), new GenerationListener() {
            @Override
            public void onProgress(Progress p) {
                if (cancelledAt.get() >= 0) {
                    after.add(p);
                } else if (p.clip() == 1 && p.step() == 3) {
                    try {
                        submitted.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    cancelledAt.set(p.step());
                    job[0].cancel();
                }
            }
        });
        submitted.countDown();
        JobCancelledException e = assertThrows(JobCancelledException.class, () -> job[0].await());
        assertEquals("cancelled by the caller", e.reason());
        assertEquals(JobStatus.CANCELLED, job[0].status());
        assertTrue(after.size() <= 1, "steps after cancel: " + after);
        assertEquals(baseline, liveArrays(), "a cancelled job's arrays are freed");
        assertTrue(s.shutdown(Duration.ofSeconds(5), "test over"));
    }

    @Test
    void aFullQueueRefusesAndQueuedJobsCancelAtOnce() throws Exception {
        JobScheduler s = scheduler(1, () -> vae);
        CountDownLatch running = new CountDownLatch(1);
        GenerationJob a = s.submit(small().clips(200).build(), new GenerationListener() {
            @Override
            public void onProgress(Progress p) {
                running.countDown();
            }
        });
        assertTrue(running.await(60, TimeUnit.SECONDS));
        GenerationJob b = s.submit(small().build(), null);
        RejectedExecutionException full = assertThrows(RejectedExecutionException.class, () -> s.submit(small().build(), null));
        assertTrue(full.getMessage().contains("queue is full"), full.getMessage());
        assertTrue(b.cancel());
        assertEquals(JobStatus.CANCELLED, b.status(), "a queued job ends at once");
        assertTrue(s.shutdown(Duration.ZERO, "engine stopped: test"));
        JobCancelledException e = assertThrows(JobCancelledException.class, a::await);
        assertEquals("engine stopped: test", e.reason());
        RejectedExecutionException closed = assertThrows(RejectedExecutionException.class, () -> s.submit(small().build(), null));
        assertTrue(closed.getMessage().contains("shutting down"), closed.getMessage());
    }

    @Test
    void aThrowingListenerDoesNotFailTheJobAndSeedsReproduce() throws Exception {
        JobScheduler s = scheduler(4, () -> vae);
        GenerationListener rude = new GenerationListener() {
            @Override
            public void onProgress(Progress p) {
                throw new IllegalStateException("consumer bug");
            }
        };
        Video first = s.submit(small().seed(3).build(), rude).await();
        Video second = s.submit(small().seed(3).build(), null).await();
        Video other = s.submit(small().seed(4).build(), null).await();
        assertArrayEquals(first.frames().get(2).rgb(), second.frames().get(2).rgb());
        assertTrue(!java.util.Arrays.equals(first.frames().get(2).rgb(), other.frames().get(2).rgb()), "seed 4 differs");
        assertTrue(s.shutdown(Duration.ofSeconds(5), "test over"));
    }

    @Test
    void aMissingCodecFailsTheJobClearly() throws Exception {
        JobScheduler s = scheduler(4, () -> null);
        GenerationJob job = s.submit(small().build(), null);
        GenerationException e = assertThrows(GenerationException.class, job::await);
        assertTrue(e.getMessage().contains("no latent codec matching (vidrd.vae.kind=vidrd)"), e.getMessage());
        assertEquals(JobStatus.FAILED, job.status());
        assertTrue(s.shutdown(Duration.ofSeconds(5), "test over"));
    }

    @Test
    void outOfDeviceMemoryFailsTheJobClearlyFreesItsArraysAndTheEngineServesTheNextJob() throws Exception {
        // What PyTorch throws when a CUDA allocation fails (here wrapped on its way), provoked on the
        // CPU after the job made arrays of its own (one more product), without allocating much.
        List<NDArray> made = new CopyOnWriteArrayList<>();
        LatentCodec full = new FailingCodec(vae, latents -> {
            made.add(latents.mul(2f));
            throw new IllegalStateException("decode failed", new EngineException("CUDA out of memory. Tried to allocate"
                    + " 40.00 GiB. GPU 0 has a total capacity of 139.81 GiB of which 12.50 GiB is free.\nIf reserved but"
                    + " unallocated memory is large try setting PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True"));
        });
        AtomicReference<LatentCodec> codec = new AtomicReference<>(vae);
        JobScheduler s = scheduler(4, codec::get);
        s.submit(small().build(), null).await();   // arrays made once per engine are not the failure's
        int baseline = liveArrays();
        codec.set(full);
        GenerationJob failing = s.submit(small().clips(2).build(), null);
        GenerationException e = assertThrows(GenerationException.class, failing::await);
        assertEquals(JobStatus.FAILED, failing.status());
        assertTrue(e.getMessage().startsWith("out of memory on cpu: CUDA out of memory. Tried to allocate 40.00 GiB."),
                e.getMessage());
        assertTrue(e.getMessage().contains("smaller width and height") && e.getMessage().contains("slice.frames"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("PYTORCH_CUDA_ALLOC_CONF"), "only PyTorch's first line: " + e.getMessage());
        assertTrue(made.get(made.size() - 1).isReleased(), "an array the failed job made is freed");
        assertEquals(baseline, liveArrays(), "arrays left by the failed job");
        codec.set(vae);
        Video next = s.submit(small().build(), null).await();
        assertEquals(6, next.frameCount(), "the engine serves the next job");
        assertEquals(baseline, liveArrays());
        assertTrue(s.shutdown(Duration.ofSeconds(5), "test over"));
    }

    @Test
    void aTorchErrorInsideTheJobFailsOnlyThatJob() throws Exception {
        // a real PyTorch failure (dot product of vectors of different lengths), not an out-of-memory
        AtomicReference<LatentCodec> codec = new AtomicReference<>(new FailingCodec(vae,
                latents -> latents.reshape(-1).matMul(latents.getManager().ones(new Shape(3)))));
        JobScheduler s = scheduler(4, codec::get);
        GenerationJob failing = s.submit(small().build(), null);
        GenerationException e = assertThrows(GenerationException.class, failing::await);
        assertTrue(e.getCause() instanceof EngineException, String.valueOf(e.getCause()));
        assertTrue(!e.getMessage().startsWith("out of memory"), e.getMessage());
        codec.set(vae);
        assertEquals(6, s.submit(small().build(), null).await().frameCount(), "the engine serves the next job");
        assertTrue(s.shutdown(Duration.ofSeconds(5), "test over"));
    }

    @Test
    void aJobWhoseCodecIsReconfiguredBeforeItsFirstClipDecodesWithTheNewOne() throws Exception {
        // the bench's second precision: the codec's configuration changes while a job denoises
        VaeLatentCodec old = VaeLatentCodec.open(CodecKind.VIDRD,
                VaeFiles.in(GoldenFiles.dir().resolve("vae_finetuned")), ComputeTarget.cpu(), 0, "old");
        AtomicReference<LatentCodec> codec = new AtomicReference<>(old);
        JobScheduler s = scheduler(4, codec::get);
        GenerationJob job = s.submit(small().build(), new GenerationListener() {
            @Override
            public void onProgress(Progress p) {
                if (p.step() == 2) {
                    // what Config Admin + DS do: unbind, deactivate (frees the weights), later bind the new one
                    codec.set(null);
                    old.close();
                    new Thread(() -> {
                        try {
                            Thread.sleep(300);
                        } catch (InterruptedException e) {
                            return;
                        }
                        codec.set(vae);
                    }).start();
                }
            }
        });
        Video v = job.await();
        assertEquals(6, v.frameCount());
        assertEquals("test", v.metadata().get(LatentCodec.META_VERSION), "decoded by the reconfigured codec");
        assertTrue(s.shutdown(Duration.ofSeconds(5), "test over"));
    }
}
