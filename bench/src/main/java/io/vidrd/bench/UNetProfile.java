package io.vidrd.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vidrd.engine.model.EngineModel;
import io.vidrd.engine.model.ModelDirectory;
import io.vidrd.engine.unet.UNet3D;
import io.vidrd.engine.unet.UNetConstants;
import io.vidrd.runtime.ComputeTarget;
import io.vidrd.runtime.Torch;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a guided U-Net call of the benchmark shape spends its time: ms per call with PyTorch's
 * fused kernels and without ({@code vidrd.torch.fusedKernels}), then a profile of two calls with
 * PyTorch's profiler (DJL's {@code JniUtils.startProfile}), summed per operator name, CPU and CUDA
 * side. A diagnostic for optimisation work, not the benchmark (that is {@code vidrd bench}).
 *
 * <p>Usage: {@code UNetProfile MODEL_DIR device dtype [frames] [latent side] [trace file]}.
 */
public final class UNetProfile {

    private UNetProfile() {}

    /**
     * @param args model folder, device, dtype, frames, latent side, trace file
     * @throws Exception if the model cannot be loaded
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        ComputeTarget target = ComputeTarget.parse(args[1], args[2]);
        int frames = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        int side = args.length > 4 ? Integer.parseInt(args[4]) : 32;
        Path trace = Path.of(args.length > 5 ? args[5] : "unet-profile.json");
        for (boolean fused : new boolean[] {true, false}) {
            System.setProperty("vidrd.torch.fusedKernels", Boolean.toString(fused));
            try (NDManager root = Torch.newManager(target.device());
                    EngineModel model = EngineModel.load(ModelDirectory.of(dir), root, target.precision())) {
                UNet3D unet = model.models().unet();
                DataType type = target.precision().dataType();
                root.getEngine().setRandomSeed(3);
                NDArray sample = root.randomNormal(new Shape(2, 4, frames, side, side)).toType(type, false);
                NDArray text = root.randomNormal(new Shape(2, 77, unet.config().crossAttentionDim())).toType(type, false);
                NDArray t = root.create(new long[] {500});
                UNetConstants k = unet.constants(root, frames);
                for (int i = 0; i < 3; i++) {
                    call(unet, sample, t, text, k);
                }
                int n = 10;
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    call(unet, sample, t, text, k);
                }
                System.out.printf(Locale.ROOT, "unet_call_ms_%s fused=%s: %.2f ms%n", args[2], fused,
                        (System.nanoTime() - start) / 1e6 / n);
                CudaAllocStats memory = target.device().isGpu() ? CudaAllocStats.load(target.device().getDeviceId()) : null;
                if (memory != null) {
                    double before = memory.allocatedGib();
                    memory.startPeak();
                    call(unet, sample, t, text, k);
                    System.out.printf(Locale.ROOT, "unet_call_peak_gib_%s fused=%s: %.3f GiB above %.3f GiB allocated%n",
                            args[2], fused, memory.peakGib() - before, before);
                }
                if (fused) {
                    JniUtils.startProfile(target.device().isGpu(), false, false);
                    call(unet, sample, t, text, k);
                    call(unet, sample, t, text, k);
                    JniUtils.stopProfile(trace.toAbsolutePath().toString());
                    summarise(trace, 2);
                }
            }
        }
    }

    private static void call(UNet3D unet, NDArray sample, NDArray t, NDArray text, UNetConstants k) {
        try (NDManager call = sample.getManager().newSubManager()) {
            NDArray out = unet.forward(sample, t, text, k);
            call.tempAttachAll(out);
            // a host read of one value: the queued GPU work is finished
            out.get(0, 0, 0, 0, 0).toType(DataType.FLOAT32, false).getFloat();
        }
    }

    private static void summarise(Path trace, int calls) throws Exception {
        JsonElement root;
        try (Reader r = Files.newBufferedReader(trace)) {
            root = JsonParser.parseReader(r);
        }
        JsonArray events = root.isJsonArray() ? root.getAsJsonArray() : root.getAsJsonObject().getAsJsonArray("traceEvents");
        Map<String, double[]> totals = new HashMap<>();
        for (JsonElement e : events) {
            JsonObject o = e.getAsJsonObject();
            if (!o.has("dur")) {
                continue;
            }
            String side = o.has("pid") ? o.get("pid").getAsString() : "?";
            String key = side + " | " + o.get("name").getAsString();
            double[] acc = totals.computeIfAbsent(key, x -> new double[2]);
            acc[0] += o.get("dur").getAsDouble();
            acc[1]++;
        }
        System.out.println("profile per call (" + trace + "), top entries: side | op: ms, count (nested ops included)");
        totals.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(60)
                .forEach(en -> System.out.printf(Locale.ROOT, "  %-70s %8.3f ms %6.0f%n", en.getKey(),
                        en.getValue()[0] / 1000 / calls, en.getValue()[1] / calls));
    }
}
