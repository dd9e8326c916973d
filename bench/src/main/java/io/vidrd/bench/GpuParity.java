package io.vidrd.bench;

import ai.djl.ndarray.NDManager;
import io.vidrd.engine.golden.EngineGoldenRunner;
import io.vidrd.runtime.ComputeTarget;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.golden.CaseResult;
import io.vidrd.runtime.golden.TensorResult;
import io.vidrd.vae.codec.CodecKind;
import io.vidrd.vae.codec.VaeLatentCodec;
import io.vidrd.vae.golden.VaeGoldenRunner;
import io.vidrd.vae.model.VaeFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Golden parity on a device: every engine and VAE case of a golden folder, per precision.
 * fp32 is judged by the golden tolerances; fp16 and bf16 by a relative L2 bound on each tensor
 * ({@value #FP16_REL_L2} and {@value #BF16_REL_L2}: the reduced mantissa, 11 and 8 bits,
 * accumulated over the pipelines' U-Net calls), integer and structural checks stay exact.
 *
 * <p>Usage: {@code GpuParity GOLDEN_DIR [device] [dtype...]}, e.g. {@code GpuParity ../shared/golden
 * gpu:0 fp32 fp16 bf16}. Prints one line per tensor and a summary per precision; exit 1 if any fails.
 */
public final class GpuParity {

    static final double FP16_REL_L2 = 2e-2;
    static final double BF16_REL_L2 = 1e-1;

    private GpuParity() {}

    /**
     * @param args golden folder, device, precisions
     * @throws Exception on setup failures
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String device = args.length > 1 ? args[1] : "gpu:0";
        List<String> dtypes = args.length > 2 ? List.of(args).subList(2, args.length) : List.of("fp32", "fp16", "bf16");
        boolean allOk = true;
        for (String dtype : dtypes) {
            ComputeTarget target = ComputeTarget.parse(device, dtype);
            double bound = dtype.equals("fp16") ? FP16_REL_L2 : dtype.equals("bf16") ? BF16_REL_L2 : -1;
            List<CaseResult> results = new ArrayList<>();
            try (NDManager root = Torch.newManager(target.device());
                    VaeLatentCodec codec = VaeLatentCodec.open(CodecKind.VIDRD, VaeFiles.in(CodecKind.VIDRD.vaeFolder(dir)),
                            target, 0, "bench");
                    EngineGoldenRunner engine = EngineGoldenRunner.open(dir, root, codec, target.precision())) {
                results.addAll(engine.runAll());
            }
            try (VaeGoldenRunner vae = VaeGoldenRunner.open(dir, target, null)) {
                results.addAll(vae.runAll());
            }
            int checks = 0;
            int failed = 0;
            double worst = 0;
            for (CaseResult c : results) {
                for (TensorResult t : c.tensors()) {
                    boolean ok = bound < 0 || t.tolerance().exact() ? t.passed()
                            : Double.isFinite(t.relL2()) && t.relL2() <= bound;
                    checks++;
                    failed += ok ? 0 : 1;
                    if (!t.tolerance().exact() && Double.isFinite(t.relL2())) {
                        worst = Math.max(worst, t.relL2());
                    }
                    System.out.printf(Locale.ROOT, "%s %s | %-26s | %-40s | max abs %.3e | rel L2 %.3e | %s | %s%n",
                            device, dtype, c.name(), t.name(), t.maxAbs(), t.relL2(),
                            bound < 0 || t.tolerance().exact()
                                    ? (t.tolerance().exact() ? "exact" : String.format(Locale.ROOT, "atol %.1e rel %.1e",
                                            t.tolerance().atol(), t.tolerance().relL2()))
                                    : String.format(Locale.ROOT, "rel L2 <= %.0e", bound),
                            (ok ? "PASS" : "FAIL") + (t.detail() == null || t.detail().isEmpty() ? "" : "  " + t.detail()));
                }
            }
            allOk &= failed == 0;
            System.out.printf(Locale.ROOT, "PARITY %s %s: %d cases, %d checks, %d failed, worst rel L2 %.3e -> %s%n",
                    device, dtype, results.size(), checks, failed, worst, failed == 0 ? "PASS" : "FAIL");
        }
        System.exit(allOk ? 0 : 1);
    }
}
