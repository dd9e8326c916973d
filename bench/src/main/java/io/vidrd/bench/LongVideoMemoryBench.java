package io.vidrd.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.vidrd.engine.model.EngineModel;
import io.vidrd.engine.model.ModelDirectory;
import io.vidrd.engine.sampling.PromptEncoder;
import io.vidrd.engine.sampling.SamplingListener;
import io.vidrd.engine.sampling.SamplingPlan;
import io.vidrd.engine.sampling.VidrdSampler;
import io.vidrd.runtime.ComputeTarget;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.SeededNoiseSource;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.codec.DecodeOptions;
import io.vidrd.vae.codec.CodecKind;
import io.vidrd.vae.codec.VaeLatentCodec;
import io.vidrd.vae.model.VaeFiles;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows that a long video's memory does not grow with its length: runs the VidRD loop for 4, 16
 * and 64 clips on a model directory, streaming each decoded clip away as the engine does, and
 * prints peak heap, peak resident (native + heap) memory and the live NDArrays at the end.
 *
 * <p>Usage: {@code java -cp 'bench/target/lib/*:bench/target/classes' io.vidrd.bench.LongVideoMemoryBench
 * MODEL_DIR [SIZE [FRAMES [STEPS [CLIPS...]]]]}
 */
public final class LongVideoMemoryBench {

    private LongVideoMemoryBench() {}

    /**
     * @param args model directory, then optional size, frames per clip, steps and clip counts
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LongVideoMemoryBench MODEL_DIR [SIZE [FRAMES [STEPS [CLIPS...]]]]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int frames = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        int[] clipCounts = {4, 16, 64};
        if (args.length > 4) {
            clipCounts = new int[args.length - 4];
            for (int i = 4; i < args.length; i++) {
                clipCounts[i - 4] = Integer.parseInt(args[i]);
            }
        }
        ComputeTarget target = ComputeTarget.cpu();
        try (NDManager root = Torch.newManager(Device.cpu());
                EngineModel model = EngineModel.load(ModelDirectory.of(dir), root, Precision.FP32);
                VaeLatentCodec vae = VaeLatentCodec.open(CodecKind.VIDRD, VaeFiles.in(dir.resolve("vae_finetuned")), target,
                        0, "bench")) {
            int latent = size / vae.scaleFactor();
            System.out.printf("model %s, %dx%d, %d frames/clip, %d steps, M=4 alpha=4 beta=0.4, guidance 10, cpu fp32%n",
                    dir, size, size, frames, steps);
            System.out.printf("%6s %10s %14s %14s %12s %10s%n", "clips", "frames", "peak heap MiB", "peak RSS MiB",
                    "live arrays", "seconds");
            run(model, vae, root, 1, frames, steps, latent, false); // warm-up
            for (int k : clipCounts) {
                run(model, vae, root, k, frames, steps, latent, true);
            }
        }
    }

    private static void run(EngineModel model, VaeLatentCodec vae, NDManager root, int clips, int frames, int steps,
            int latent, boolean print) throws Exception {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        RssSampler rss = new RssSampler();
        rss.start();
        AtomicLong decodedFrames = new AtomicLong();
        long t0 = System.nanoTime();
        SamplingPlan plan = SamplingPlan.of(frames, clips, steps, 10.0, latent, latent).withLongVideo(4 % frames, 4.0, 0.4);
        try (NDManager job = root.newSubManager();
                PromptEncoder prompts = new PromptEncoder(model.tokenizer(), model.models().textEncoder(), job, w -> { })) {
            new VidrdSampler(model.models().unet(), model.schedule()).sample(job, plan,
                    prompts.schedule(k -> "wood on fire", "watermark", 10.0), new SeededNoiseSource(42), null,
                    new SamplingListener() {
                        @Override
                        public void onClip(int clip, NDArray finalLatents) {
                            NDArray pixels = vae.decode(finalLatents, DecodeOptions.defaults());
                            // what the engine hands out, then drops: 8-bit frames
                            byte[] rgb = pixels.mul(255f).toType(DataType.UINT8, false).toByteArray();
                            decodedFrames.addAndGet(rgb.length / (3L * pixels.getShape().get(3) * pixels.getShape().get(4)));
                        }
                    });
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        rss.stop();
        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        if (print) {
            System.out.printf("%6d %10d %14.1f %14.1f %12d %10.1f%n", clips, decodedFrames.get(), heapPeak / 1048576.0,
                    rss.peakKiB() / 1024.0, root.getManagedArrays().size(), seconds);
        }
    }

    /** Samples the process's resident set size (heap and native) every 10 ms. */
    private static final class RssSampler implements Runnable {
        private final Thread thread = new Thread(this, "rss-sampler");
        private volatile boolean running = true;
        private long peak;

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        long peakKiB() {
            return peak;
        }

        @Override
        public void run() {
            while (running) {
                peak = Math.max(peak, currentRssKiB());
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private static long currentRssKiB() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("\\D+", ""));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // not Linux: no RSS figure
            }
            return 0;
        }
    }
}
