package io.vidrd.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vidrd.runtime.ComputeTarget;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.codec.DecodeOptions;
import io.vidrd.vae.codec.CodecKind;
import io.vidrd.vae.codec.VaeLatentCodec;
import io.vidrd.vae.model.VaeFiles;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * VAE decode time of one clip's latents ({@code [1, 4, F, h, w]}, the pipeline's decode: all
 * frames in one call, un-scaling and clamp included) with the {@code vidrd} codec of a model folder
 * (e.g. the random full-size one {@code vidrd bench} writes). Each timed call ends with a host read
 * of one value, so the GPU work is finished. Usage: {@code VaeDecodeBench MODEL_DIR device dtype
 * [frames] [latent side]}; prints {@code vae_decode_seconds_DTYPE: S s} (median of 5 after 2 warm-ups).
 */
public final class VaeDecodeBench {

    private VaeDecodeBench() {}

    /**
     * @param args model folder, device, dtype, frames, latent side
     * @throws Exception if the codec cannot be opened
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        ComputeTarget target = ComputeTarget.parse(args[1], args[2]);
        int frames = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        int side = args.length > 4 ? Integer.parseInt(args[4]) : 32;
        try (NDManager m = Torch.newManager(target.device());
                VaeLatentCodec codec = VaeLatentCodec.open(CodecKind.VIDRD, VaeFiles.in(CodecKind.VIDRD.vaeFolder(dir)),
                        target, 0, "bench")) {
            m.getEngine().setRandomSeed(7);
            NDArray z = m.randomNormal(new Shape(1, 4, frames, side, side), DataType.FLOAT32);
            double[] times = new double[7];
            for (int i = 0; i < times.length; i++) {
                try (NDManager call = m.newSubManager()) {
                    call.tempAttachAll(z);
                    long t = System.nanoTime();
                    NDArray video = codec.decode(z, DecodeOptions.defaults());
                    video.get(0, 0, 0, 0, 0).getFloat();
                    times[i] = (System.nanoTime() - t) / 1e9;
                    video.close();
                }
            }
            CudaAllocStats memory = target.device().isGpu() ? CudaAllocStats.load(target.device().getDeviceId()) : null;
            if (memory != null) {
                for (int slice : new int[] {frames, 8, 4}) {
                    try (NDManager call = m.newSubManager()) {
                        call.tempAttachAll(z);
                        double before = memory.allocatedGib();
                        memory.startPeak();
                        NDArray video = codec.decode(z, DecodeOptions.defaults().withSliceFrames(slice));
                        video.get(0, 0, 0, 0, 0).getFloat();
                        System.out.printf(Locale.ROOT, "vae_decode_peak_gib_%s slice %d: %.3f GiB above %.3f GiB allocated%n",
                                args[2], slice, memory.peakGib() - before, before);
                        video.close();
                    }
                }
            }
            double[] timed = Arrays.copyOfRange(times, 2, times.length);
            Arrays.sort(timed);
            System.out.printf(Locale.ROOT, "vae_decode_seconds_%s: %.4f s (%d frames %dx%d, median of %d; all %s)%n",
                    args[2], timed[timed.length / 2], frames, side * 8, side * 8, timed.length, Arrays.toString(times));
        }
    }
}
