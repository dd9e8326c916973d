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
 * fp32 is judged by the golden tolerances; fp16 and bf16 by relative L2 bounds per kind of tensor
 * (integer and structural checks stay exact):
 *
 * <table>
 * <caption>reduced-precision bounds (relative L2)</caption>
 * <tr><th>tensors</th><th>fp16</th><th>bf16</th></tr>
 * <tr><td>one model call: text encoder, U-Net, VAE decode/encode, prompt embeddings</td>
 *     <td>{@value #FP16_CALL}</td><td>{@value #BF16_CALL}</td></tr>
 * <tr><td>inside a guided denoising loop: step latents and noise predictions, final latents</td>
 *     <td>{@value #FP16_LOOP}</td><td>{@value #BF16_LOOP}</td></tr>
 * <tr><td>decoded pipeline videos</td><td>{@value #FP16_VIDEO}</td><td>{@value #BF16_VIDEO}</td></tr>
 * </table>
 *
 * <p>Why these: the mantissa has 11 (fp16) and 8 (bf16) bits; one call of the tiny random golden
 * U-Net lands at 2e-3–4e-2 (fp16) and 2e-2–9e-2 (bf16). In a loop, guidance
 * {@code u + w(t − u)} with w = 7.5 or 10 multiplies the error of the small difference
 * {@code t − u} by about w, and the long pipeline's later clips start from the earlier clips'
 * (reused) latents and carry their error on; DDIM with η = 0 does not amplify it further along
 * the steps (the single clip's latents stay at 2.6–2.9e-2 in fp16 from step 0 to 3).
 *
 * <p>Usage: {@code GpuParity GOLDEN_DIR [device] [dtype...]}, e.g. {@code GpuParity ../shared/golden
 * gpu:0 fp32 fp16 bf16}. Prints one line per tensor and a summary per precision; exit 1 if any fails.
 */
public final class GpuParity {

    static final double FP16_CALL = 5e-2;
    static final double FP16_LOOP = 1.5e-1;
    static final double FP16_VIDEO = 5e-2;
    static final double BF16_CALL = 1.5e-1;
    static final double BF16_LOOP = 4e-1;
    static final double BF16_VIDEO = 1.5e-1;

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
            boolean reduced = !dtype.equals("fp32");
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
                    double bound = reduced ? bound(dtype, t.name()) : -1;
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
                                    : String.format(Locale.ROOT, "rel L2 <= %.1e", bound),
                            (ok ? "PASS" : "FAIL") + (t.detail() == null || t.detail().isEmpty() ? "" : "  " + t.detail()));
                }
            }
            allOk &= failed == 0;
            System.out.printf(Locale.ROOT, "PARITY %s %s: %d cases, %d checks, %d failed, worst rel L2 %.3e -> %s%n",
                    device, dtype, results.size(), checks, failed, worst, failed == 0 ? "PASS" : "FAIL");
        }
        System.exit(allOk ? 0 : 1);
    }

    /** @return the relative L2 bound of a reduced-precision tensor (see the class comment) */
    static double bound(String dtype, String tensor) {
        boolean fp16 = dtype.equals("fp16");
        if (tensor.endsWith(".videos")) {
            return fp16 ? FP16_VIDEO : BF16_VIDEO;
        }
        boolean loop = tensor.startsWith("pipe_") && (tensor.contains(".step") || tensor.contains("final_latents"));
        if (loop) {
            return fp16 ? FP16_LOOP : BF16_LOOP;
        }
        return fp16 ? FP16_CALL : BF16_CALL;
    }
}
