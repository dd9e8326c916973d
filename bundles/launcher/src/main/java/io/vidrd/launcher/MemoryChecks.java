package io.vidrd.launcher;

import io.vidrd.api.GenerationException;
import io.vidrd.api.GenerationJob;
import io.vidrd.api.GenerationListener;
import io.vidrd.api.GenerationRequest;
import io.vidrd.api.JobCancelledException;
import io.vidrd.api.Progress;
import io.vidrd.api.VideoGenerator;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The bench's device-memory phase: does a job give its GPU memory back when it ends, when it is
 * cancelled mid-way, and when it fails for lack of memory, and does the engine serve the next job
 * after that. Allocated memory is PyTorch's own counter ({@code torch.cuda.memory_allocated}, via
 * {@link BenchCommand.CudaAllocatorStats}); without the stats library only the job outcomes are
 * printed. Prints {@code name_dtype: value unit} lines.
 *
 * <p>The oversized job is sized so that the first spatial self-attention of the U-Net cannot fit
 * on any current GPU (see {@link #oversizedLowerBoundBytes}): 2048x2048 with 256 frames needs at
 * least 180 GiB in fp16 at that point, against 141 GiB on an H200. Fewer frames do not make sure of
 * it: on the GPU the score scale is folded into {@code to_q}, so one row's attention holds only
 * scores and probabilities (2 x 40 GiB at 2048x2048 in fp16), and 96 frames (the most that keep one
 * sample of the temporal conv's input under 2^31 elements) leave the bound at 118 GiB. With 256
 * frames that input has 5.4e9 elements per sample: PyTorch then needs cuDNN 9.3+ (64-bit indexing)
 * or takes its slow 3-D path, both of which allocate on; {@code oom_job_was_oom} says whether the
 * job really failed for memory.
 */
final class MemoryChecks {

    private static final double GIB = 1024.0 * 1024 * 1024;
    /** Where the cancelled job stops: clip 1 (the second), step 10. */
    private static final int CANCEL_CLIP = 1;
    private static final int CANCEL_STEP = 10;

    private final PrintStream out;
    private final int device;
    private final String dtype;
    private final boolean allocator;

    /**
     * @param out where the lines go
     * @param device CUDA device index
     * @param dtype the engine's precision, suffix of every line
     * @param allocator whether {@link BenchCommand.CudaAllocatorStats} is loaded
     */
    MemoryChecks(PrintStream out, int device, String dtype, boolean allocator) {
        this.out = out;
        this.device = device;
        this.dtype = dtype;
        this.allocator = allocator;
    }

    /**
     * @param generator the warmed-up engine
     * @param clip a normal job (the bench's clip)
     * @param oomSize width and height of the oversized job
     * @param oomFrames its frames per clip
     * @throws InterruptedException if interrupted while waiting for a job
     */
    void run(VideoGenerator generator, GenerationRequest clip, int oomSize, int oomFrames) throws InterruptedException {
        allocated("mem_before_job_gib");
        outcome("job", generator, clip, null);
        allocated("mem_after_job_gib");

        GenerationRequest threeClips = clip.toBuilder().clips(3).build();
        outcome("cancel_job", generator, threeClips, new GenerationListener() {
            private final AtomicReference<GenerationJob> job = new AtomicReference<>();

            @Override
            public void onStarted(GenerationJob j) {
                job.set(j);
            }

            @Override
            public void onProgress(Progress p) {
                if (p.clip() == CANCEL_CLIP && p.step() == CANCEL_STEP) {
                    job.get().cancel();
                }
            }
        });
        allocated("mem_after_cancel_gib");

        GenerationRequest oversized = clip.toBuilder().size(oomSize, oomSize).framesPerClip(oomFrames).clips(1).steps(1)
                .build();
        int bytes = dtype.equals("fp32") ? 4 : 2;
        line("oom_job_request", String.format(Locale.ROOT, "%dx%d, %d frames, 1 step, guidance %.0f; at least %.1f GiB"
                + " live at the first self-attention", oomSize, oomSize, oomFrames, clip.guidanceScale(),
                oversizedLowerBoundBytes(oomSize, oomFrames, bytes) / GIB));
        String oom = outcome("oom_job", generator, oversized, null);
        // a failure other than memory (a kernel's size limit, say) would not test what this phase is for
        line("oom_job_was_oom", oom.startsWith("failed: out of memory") ? "yes" : "NO");
        allocated("mem_after_oom_gib");
        if (allocator) {
            long[] a = BenchCommand.CudaAllocatorStats.stats(device);
            line("reserved_after_oom_gib", String.format(Locale.ROOT, "%.2f GiB", a[2] / GIB));
        }
        outcome("after_oom_job", generator, clip, null);
        allocated("mem_after_oom_job_gib");
    }

    /**
     * Runs one job and prints {@code name: ok S s}, {@code name: cancelled after S s: R},
     * {@code name: failed: M} or {@code name: refused: M}.
     *
     * @return what was printed after the name
     */
    private String outcome(String name, VideoGenerator generator, GenerationRequest request, GenerationListener listener)
            throws InterruptedException {
        long start = System.nanoTime();
        String result;
        try {
            generator.submit(request, listener).await();
            result = String.format(Locale.ROOT, "ok %.3f s", (System.nanoTime() - start) / 1e9);
        } catch (JobCancelledException e) {
            result = String.format(Locale.ROOT, "cancelled after %.3f s: %s", (System.nanoTime() - start) / 1e9, e.reason());
        } catch (GenerationException e) {
            result = "failed: " + e.getMessage();
        } catch (RuntimeException e) {
            result = "refused: " + e.getMessage();
        }
        line(name, result);
        return result;
    }

    private void allocated(String name) {
        if (allocator) {
            long[] a = BenchCommand.CudaAllocatorStats.stats(device);
            line(name, String.format(Locale.ROOT, "%.3f GiB", a[0] / GIB));
        }
    }

    private void line(String name, String value) {
        out.println(name + "_" + dtype + ": " + value);
        out.flush();
    }

    /**
     * A lower bound of the device memory live when the U-Net's first spatial self-attention has
     * computed its scores and takes their softmax, counting only what must exist then: the
     * {@code conv_in} output kept for the skip connection, the transformer's input, its q, k and v
     * (each one level-0 activation: rows × tokens × 320 channels, rows = 2 × frames with guidance),
     * and the score and probability matrices of one row (5 heads × tokens², the least the attention
     * computes at once). Weights, norms and everything else come on top.
     *
     * @param size width = height in pixels
     * @param frames frames per clip
     * @param bytes bytes per element (2 for fp16/bf16)
     * @return bytes
     */
    static double oversizedLowerBoundBytes(int size, int frames, int bytes) {
        double tokens = Math.pow(size / 8.0, 2);
        double activation = 2.0 * frames * tokens * 320 * bytes;
        double oneRowScores = 5 * tokens * tokens * bytes;
        return 5 * activation + 2 * oneRowScores;
    }
}
