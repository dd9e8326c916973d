package io.vidrd.launcher;

import io.vidrd.api.GenerationJob;
import io.vidrd.api.GenerationListener;
import io.vidrd.api.GenerationRequest;
import io.vidrd.api.Progress;
import io.vidrd.api.VideoGenerator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code vidrd bench}: the GPU benchmark, run exactly as a user runs the engine — the distribution's
 * bundles in the embedded Felix, configured through Config Admin, jobs submitted to the
 * {@link VideoGenerator} service. It writes a full-size model with random weights (SD 2.1-base
 * dimensions, {@link RandomModelWriter}) unless one is there, then per precision: one warm-up clip,
 * the timed single clip (16 frames, 256x256, 50 DDIM steps, guidance 10), and for the first
 * precision a 3-clip long video (M=4, α=4, β=0.4). Peak GPU memory is the device's used memory
 * (nvidia-smi, CUDA context and PyTorch's cache included) sampled every 20 ms during the timed clip,
 * and, when {@link CudaAllocatorStats} is available, PyTorch's own peak of allocated tensor memory
 * (what {@code torch.cuda.max_memory_allocated} reports).
 * The compute floor is the U-Net's FLOPs over all steps divided by a dense matmul rate measured on
 * the same GPU ({@code --peak-tflops}). For the first precision it then runs {@link MemoryChecks}
 * (memory after a job, after a cancelled job, an out-of-memory job and the job after it;
 * {@code --memory-checks auto} runs them when the allocator counters are loaded). Before each
 * precision it waits until engine and codec both run it ({@link ReconfiguredEngine}). Prints
 * {@code name: value unit} lines.
 */
final class BenchCommand {

    static final String USAGE = "  bench [--bench-dir DIR] [--dtypes fp16,bf16,fp32] [--peak-tflops T] [--memory-checks auto|on|off]"
            + " [--oom-size 2048] [--oom-frames 256]  GPU benchmark on a random full-size model";
    static final java.util.Set<String> VALUE_OPTIONS = java.util.Set.of("bench-dir", "dtypes", "peak-tflops", "tokenizer",
            "memory-checks", "oom-size", "oom-frames");

    private static final int FRAMES = 16;
    private static final int SIZE = 256;
    private static final int STEPS = 50;
    private static final double GUIDANCE = 10;

    private final PrintStream out;
    private final PrintStream err;
    private final List<Path> bundleDirs;

    BenchCommand(PrintStream out, PrintStream err, List<Path> bundleDirs) {
        this.out = out;
        this.err = err;
        this.bundleDirs = bundleDirs;
    }

    int run(CommandLine line, Map<String, String> environment) throws Exception {
        Map<String, String> o = line.options();
        Path dir = Path.of(o.getOrDefault("bench-dir", "/tmp/vidrd-bench-model"));
        Path tokenizer = Path.of(o.getOrDefault("tokenizer", "../shared/golden/stable-diffusion-2-1-base/tokenizer"));
        List<String> dtypes = List.of(o.getOrDefault("dtypes", "fp16,bf16,fp32").split(","));
        String device = o.getOrDefault("device", "gpu:0");
        double peakTflops = Double.parseDouble(o.getOrDefault("peak-tflops", "0"));
        String memoryMode = o.getOrDefault("memory-checks", "auto");
        if (!memoryMode.matches("auto|on|off")) {
            throw new UsageException("bad value '" + memoryMode + "' for --memory-checks; allowed: auto (on when"
                    + " -Dvidrd.bench.cudaStatsLib is loaded), on, off");
        }
        int oomSize = Integer.parseInt(o.getOrDefault("oom-size", "2048"));
        int oomFrames = Integer.parseInt(o.getOrDefault("oom-frames", "256"));
        for (String dtype : dtypes) {
            settings(dir, device, dtype, environment);      // a precision this machine refuses fails now, not midway
        }
        long t0 = System.nanoTime();
        long params = RandomModelWriter.write(dir, tokenizer);
        out.printf(Locale.ROOT, "model: %s (U-Net %,d parameters), ready in %.1f s%n", dir, params, secs(t0));
        double flopsPerStep = unetFlops(2, FRAMES, SIZE / 8);
        out.printf(Locale.ROOT, "unet_flops_per_step: %.4g FLOP (batch 2 for guidance, %d frames, latent %dx%d)%n",
                flopsPerStep, FRAMES, SIZE / 8, SIZE / 8);
        try (Container c = Container.start(bundleDirs, false); GpuMemorySampler memory = GpuMemorySampler.start()) {
            boolean first = true;
            for (String dtype : dtypes) {
                Settings s = settings(dir, device, dtype, environment);
                long load = System.nanoTime();
                Map<String, Map<String, String>> byPid = s.byPid();
                c.configure(byPid, 10_000);
                // engine and codec are reconfigured independently: wait for both, or the first job may
                // hold the codec that is being replaced
                VideoGenerator generator = ReconfiguredEngine.await(c, dtype, "vidrd", byPid.get("io.vidrd.vae.vidrd"),
                        Duration.ofMinutes(5));
                if (generator == null) {
                    err.println("vidrd: bench: no " + dtype + " engine with a " + dtype + " 'vidrd' codec registered"
                            + " (see the error above)");
                    return 1;
                }
                out.printf(Locale.ROOT, "load_seconds_%s: %.2f s%n", dtype, secs(load));
                GenerationRequest clip = GenerationRequest.builder("wood on fire").size(SIZE, SIZE).framesPerClip(FRAMES)
                        .clips(1).steps(STEPS).guidanceScale(GUIDANCE).seed(42).build();
                run(generator, clip);                                   // warm-up: cuDNN plans, allocator
                memory.reset();
                boolean allocator = CudaAllocatorStats.available();
                // auto: on when the allocator counters are there (known only once the engine loaded libtorch)
                boolean memoryChecks = memoryMode.equals("on") || memoryMode.equals("auto") && allocator;
                if (allocator) {
                    CudaAllocatorStats.resetPeak(deviceIndex(device));
                }
                double[] best = null;
                for (int rep = 0; rep < 2; rep++) {
                    double[] r = run(generator, clip);
                    best = best == null || r[0] < best[0] ? r : best;
                }
                out.printf(Locale.ROOT, "clip_seconds_%s: %.3f s%n", dtype, best[0]);
                out.printf(Locale.ROOT, "clip_it_per_s_%s: %.2f it/s%n", dtype, STEPS / best[0]);
                out.printf(Locale.ROOT, "denoise_it_per_s_%s: %.2f it/s%n", dtype, best[1]);
                out.printf(Locale.ROOT, "peak_gpu_gib_%s: %.2f GiB%n", dtype, memory.peakMib() / 1024.0);
                if (allocator) {
                    long[] a = CudaAllocatorStats.stats(deviceIndex(device));
                    double gib = 1024.0 * 1024 * 1024;
                    out.printf(Locale.ROOT, "peak_alloc_gib_%s: %.2f GiB%n", dtype, a[1] / gib);
                    out.printf(Locale.ROOT, "peak_reserved_gib_%s: %.2f GiB%n", dtype, a[3] / gib);
                    out.printf(Locale.ROOT, "resident_alloc_gib_%s: %.2f GiB (between jobs: weights and caches)%n", dtype,
                            a[0] / gib);
                    out.printf(Locale.ROOT, "outside_allocator_gib_%s: %.2f GiB (nvidia-smi now %.2f GiB - reserved %.2f GiB:"
                            + " CUDA context, libraries)%n", dtype, memory.lastMib() / 1024.0 - a[2] / gib,
                            memory.lastMib() / 1024.0, a[2] / gib);
                }
                if (peakTflops > 0) {
                    double floor = flopsPerStep * STEPS / (peakTflops * 1e12);
                    out.printf(Locale.ROOT, "floor_fraction_%s: %.3f (floor %.3f s = %.4g FLOP / %.1f TFLOP/s)%n", dtype,
                            floor / best[0], floor, flopsPerStep * STEPS, peakTflops);
                }
                if (first) {
                    GenerationRequest longVideo = clip.toBuilder().clips(3).promptFrames(4).noiseReuse(4).stagedGuidance(0.4)
                            .build();
                    double[] r = run(generator, longVideo);
                    out.printf(Locale.ROOT, "long3_seconds_%s: %.3f s%n", dtype, r[0]);
                    if (memoryChecks) {
                        new MemoryChecks(out, deviceIndex(device), dtype, allocator).run(generator, clip, oomSize, oomFrames);
                    }
                    first = false;
                }
            }
        }
        return 0;
    }

    private static Settings settings(Path model, String device, String dtype, Map<String, String> environment)
            throws UsageException {
        return Settings.resolve(Map.of("model", model.toString(), "device", device, "dtype", dtype, "vae", "vidrd"),
                environment, Optional.empty());
    }

    /** @return {seconds of the whole job, steps per second between the first and the last step of clip 0} */
    private double[] run(VideoGenerator generator, GenerationRequest request) throws Exception {
        List<Long> stepTimes = new ArrayList<>();
        long start = System.nanoTime();
        GenerationJob job = generator.submit(request, new GenerationListener() {
            @Override
            public void onProgress(Progress p) {
                if (p.clip() == 0 && p.step() > 0) {
                    synchronized (stepTimes) {
                        stepTimes.add(System.nanoTime());
                    }
                }
            }
        });
        job.await();
        double seconds = secs(start);
        double itPerS = 0;
        synchronized (stepTimes) {
            if (stepTimes.size() > 1) {
                itPerS = (stepTimes.size() - 1) / ((stepTimes.get(stepTimes.size() - 1) - stepTimes.get(0)) / 1e9);
            }
        }
        return new double[] {seconds, itPerS};
    }

    private static int deviceIndex(String device) {
        int colon = device.indexOf(':');
        return colon < 0 ? 0 : Integer.parseInt(device.substring(colon + 1));
    }

    /**
     * PyTorch's CUDA caching-allocator counters ({@code torch.cuda.max_memory_allocated} and
     * friends), which DJL does not expose, through a small JNI library built on the GPU machine
     * from {@code bench/src/main/native/cuda_alloc_stats.cpp} and named by the system property
     * {@code vidrd.bench.cudaStatsLib}. Without it the bench reports nvidia-smi figures only.
     */
    static final class CudaAllocatorStats {
        private static volatile Boolean loaded;

        private CudaAllocatorStats() {}

        /** @return whether the library is loaded (tried once, after the engine has loaded libtorch) */
        static boolean available() {
            if (loaded == null) {
                String lib = System.getProperty("vidrd.bench.cudaStatsLib");
                boolean ok = false;
                if (lib != null) {
                    try {
                        System.load(lib);
                        ok = true;
                    } catch (UnsatisfiedLinkError e) {
                        System.err.println("vidrd: bench: no allocator statistics: " + e.getMessage());
                    }
                }
                loaded = ok;
            }
            return loaded;
        }

        /** @return {allocated now, allocated peak, reserved now, reserved peak} in bytes */
        static native long[] stats(int device);

        static native void resetPeak(int device);
    }

    private static double secs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * Multiply-add FLOPs (2 per MAC) of one U-Net call in the official configuration: convolutions,
     * temporal convolutions, linear layers and the attention products; norms and element-wise
     * work are left out (the floor is a matmul floor).
     *
     * @param batch rows of the call (2 with guidance)
     * @param frames F
     * @param latent latent side (32 for 256x256)
     * @return FLOPs
     */
    static double unetFlops(int batch, int frames, int latent) {
        int[] ch = {320, 640, 1280, 1280};
        double n = (double) batch * frames;
        double total = conv(4, 320, 3, latent, n);
        List<Integer> skips = new ArrayList<>(List.of(320));
        int out = 320;
        int side = latent;
        for (int i = 0; i < 4; i++) {
            int in = out;
            out = ch[i];
            for (int j = 0; j < 2; j++) {
                total += resnet(j == 0 ? in : out, out, side, n) + temporal(out, side, n, frames);
                if (i < 3) {
                    total += transformer(out, side, n, frames);
                }
                skips.add(out);
            }
            if (i < 3) {
                side /= 2;
                total += conv(out, out, 3, side, n);
                skips.add(out);
            }
        }
        total += 2 * (resnet(1280, 1280, side, n) + temporal(1280, side, n, frames)) + transformer(1280, side, n, frames);
        int prev = 1280;
        for (int i = 0; i < 4; i++) {
            int o = ch[3 - i];
            for (int j = 0; j < 3; j++) {
                int skip = skips.remove(skips.size() - 1);
                total += resnet((j == 0 ? prev : o) + skip, o, side, n) + temporal(o, side, n, frames);
                if (i > 0) {
                    total += transformer(o, side, n, frames);
                }
            }
            if (i < 3) {
                side *= 2;
                total += conv(o, o, 3, side, n);
            }
            prev = o;
        }
        return total + conv(320, 4, 3, latent, n);
    }

    private static double conv(int in, int outCh, int k, int side, double n) {
        return 2.0 * in * outCh * k * k * side * side * n;
    }

    private static double resnet(int in, int o, int side, double n) {
        return conv(in, o, 3, side, n) + conv(o, o, 3, side, n) + (in != o ? conv(in, o, 1, side, n) : 0);
    }

    private static double temporal(int c, int side, double n, int frames) {
        return 4 * 2.0 * c * c * 3 * side * side * n;
    }

    private static double transformer(int c, int side, double n, int frames) {
        double t = (double) side * side;
        double rows = n * t;
        double linear = 2.0 * c * c * rows;
        double total = 2 * linear;                                  // proj_in, proj_out
        total += 4 * linear + 2 * 2.0 * n * t * t * c;              // spatial self-attention
        total += 2 * linear + 2 * 2.0 * 1024 * c * n * 77 + 2 * 2.0 * n * t * 77 * c;   // cross-attention
        total += 4 * linear + 2 * 2.0 * rows * frames * c;          // temporal attention (F x F per position)
        total += 8 * linear + 4 * linear;                           // GEGLU feed-forward
        return total;
    }

    /** Polls the device's used memory; the peak since the last reset. */
    static final class GpuMemorySampler implements AutoCloseable {
        private final Process process;
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong last = new AtomicLong();
        private final Thread reader;

        private GpuMemorySampler(Process process) {
            this.process = process;
            this.reader = new Thread(this::read, "vidrd-bench-gpu-memory");
            reader.setDaemon(true);
            reader.start();
        }

        static GpuMemorySampler start() throws java.io.IOException {
            return new GpuMemorySampler(new ProcessBuilder("nvidia-smi", "--query-gpu=memory.used",
                    "--format=csv,noheader,nounits", "-lms", "20").redirectErrorStream(true).start());
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    try {
                        long v = Long.parseLong(l.trim().split("\\s*,\\s*")[0]);
                        peak.accumulateAndGet(v, Math::max);
                        last.set(v);
                    } catch (NumberFormatException ignored) {
                        // a header or a message: not a sample
                    }
                }
            } catch (java.io.IOException ignored) {
                // the sampler stops with the process
            }
        }

        void reset() {
            peak.set(0);
        }

        long lastMib() {
            return last.get();
        }

        long peakMib() {
            return peak.get();
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
