package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * PyTorch kernels that DJL 0.35.1's {@code NDArray} API does not reach, called through a tiny
 * TorchScript module that this class writes itself (a few lines of TorchScript source in the
 * archive layout {@code torch.jit.load} reads) and loads with DJL's standard module loader.
 *
 * <p>The fused {@code scaled_dot_product_attention} (flash / memory-efficient kernels on CUDA):
 * one call instead of two batched matmuls, a softmax and the score matrix in memory; and GroupNorm
 * with its affine (and the SiLU that follows it in resnets) in two or three kernels instead of
 * five. The module lives on the manager it was loaded with and is released with it.
 *
 * <p>Used on CUDA only: the CPU path keeps the explicit attention that the golden parity tests
 * check bit for bit. Not for training: calls run as TorchScript inference, so the blocks call it
 * only on threads whose autograd is off ({@link #inferenceOnThisThread()}).
 */
public final class FusedKernels {

    private static final String CLASS_NAME = "VidrdFusedKernels";

    // Serialized-TorchScript source: what torch.jit.save writes for a scripted module with these
    // methods. The head split and merge are views around the fused call, so they cost no kernels.
    private static final String SOURCE = String.join("\n",
            "class " + CLASS_NAME + "(Module):",
            "  __parameters__ = []",
            "  __buffers__ = []",
            "  training : bool",
            "  def attend(self: __torch__." + CLASS_NAME
                    + ", q: Tensor, k: Tensor, v: Tensor, heads: int, scale: float) -> Tensor:",
            "    n = q.size(0)",
            "    lq = q.size(1)",
            "    inner = q.size(2)",
            "    d = inner // heads",
            "    qh = q.reshape([n, lq, heads, d]).transpose(1, 2)",
            "    kh = k.reshape([n, k.size(1), heads, d]).transpose(1, 2)",
            "    vh = v.reshape([n, v.size(1), heads, d]).transpose(1, 2)",
            "    o = torch.scaled_dot_product_attention(qh, kh, vh, None, 0., False, scale=scale)",
            "    return o.transpose(1, 2).reshape([n, lq, inner])",
            "  def group_norm(self: __torch__." + CLASS_NAME
                    + ", x: Tensor, groups: int, weight: Tensor, bias: Tensor, eps: float, silu: bool) -> Tensor:",
            "    y = torch.group_norm(x, groups, weight, bias, eps, True)",
            "    if silu:",
            "      y = torch.silu_(y)",
            "    return y",
            "  def group_norm_frame_major(self: __torch__." + CLASS_NAME
                    + ", x: Tensor, groups: int, weight: Tensor, bias: Tensor, eps: float, silu: bool) -> Tensor:",
            "    b = x.size(0)",
            "    c = x.size(1)",
            "    f = x.size(2)",
            "    g = x.permute([2, 0, 1, 3, 4]).reshape([f, b * groups, -1])",
            "    n = torch.batch_norm(g, None, None, None, None, True, 0., eps, True)",
            "    v = n.reshape([f, b, c, x.size(3), x.size(4)]).permute([1, 2, 0, 3, 4])",
            "    y = torch.addcmul(bias.reshape([1, c, 1, 1, 1]), v, weight.reshape([1, c, 1, 1, 1]))",
            "    if silu:",
            "      y = torch.silu_(y)",
            "    return y",
            "");

    private final PtSymbolBlock module;

    private FusedKernels(PtSymbolBlock module) {
        this.module = module;
    }

    /**
     * Loads the kernels onto a manager's device; they are closed with the manager.
     *
     * @param manager a PyTorch manager
     * @return the kernels
     * @throws IllegalArgumentException if the manager is not a PyTorch one
     */
    public static FusedKernels load(NDManager manager) {
        if (!(manager instanceof PtNDManager)) {
            throw new IllegalArgumentException("fused kernels need the PyTorch engine, got " + manager.getEngine().getEngineName());
        }
        PtNDManager pt = (PtNDManager) manager;
        try {
            return new FusedKernels(JniUtils.loadModule(pt, new ByteArrayInputStream(archive()), true, false));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the fused-kernel module", e);
        }
    }

    /**
     * Whether the calling thread computes without autograd, the only case in which the fused
     * module (which runs under DJL's inference guard) and in-place shortcuts may be used. PyTorch's
     * grad mode is per thread: on inside a {@code GradientCollector} and, by PyTorch's default, on
     * threads that never switched it off (see {@code Torch.inferenceThread()}). DJL's
     * {@code hasGradient()} cannot tell: it is false for every non-leaf tensor.
     *
     * @return true when grad mode is off on this thread
     */
    public static boolean inferenceOnThisThread() {
        return !JniUtils.isGradMode();
    }

    /**
     * Multi-head attention {@code softmax(q kᵀ · scale) v} with heads split head-major from the
     * channel axis, as {@link ScaledDotProductAttention} computes it explicitly.
     *
     * @param q {@code [N, Lq, H·d]}
     * @param k {@code [N, Lk, H·d]}
     * @param v {@code [N, Lk, H·d]}
     * @param heads H
     * @param scale factor on the scores
     * @return {@code [N, Lq, H·d]}, owned by {@code q}'s manager
     */
    public NDArray attend(NDArray q, NDArray k, NDArray v, int heads, double scale) {
        return call("attend", q, IValue.from((PtNDArray) q), IValue.from((PtNDArray) k), IValue.from((PtNDArray) v),
                IValue.from((long) heads), IValue.from(scale));
    }

    /**
     * GroupNorm with its affine in one native kernel ({@code torch.group_norm}: statistics per
     * sample and group over the group's channels and all trailing axes, fp32 accumulation), and
     * optionally SiLU applied in place on the result.
     *
     * @param x {@code [N, C, ...]}
     * @param groups G
     * @param weight {@code [C]}
     * @param bias {@code [C]}
     * @param eps added to the variance
     * @param silu whether SiLU follows
     * @return same shape as x, owned by x's manager
     */
    public NDArray groupNorm(NDArray x, int groups, NDArray weight, NDArray bias, double eps, boolean silu) {
        return call("group_norm", x, IValue.from((PtNDArray) x), IValue.from((long) groups),
                IValue.from((PtNDArray) weight), IValue.from((PtNDArray) bias), IValue.from(eps), IValue.from(silu));
    }

    /**
     * GroupNorm over a video {@code [B, C, F, H, W]} stored frame-major ({@code [F, B, C, H, W]},
     * see {@link Frames#foldFrameMajor}) without a transposing copy: the statistics of a
     * training-mode {@code batch_norm} over the view {@code [F, B·G, C/G·H·W]} are exactly the
     * group's over all frames; then the affine in one {@code addcmul} and optionally SiLU in place.
     * The result is frame-major too.
     *
     * @param x {@code [B, C, F, H, W]} in frame-major storage
     * @param groups G
     * @param weight {@code [C]}
     * @param bias {@code [C]}
     * @param eps added to the variance
     * @param silu whether SiLU follows
     * @return same shape as x, frame-major, owned by x's manager
     */
    public NDArray groupNormFrameMajor(NDArray x, int groups, NDArray weight, NDArray bias, double eps, boolean silu) {
        return call("group_norm_frame_major", x, IValue.from((PtNDArray) x), IValue.from((long) groups),
                IValue.from((PtNDArray) weight), IValue.from((PtNDArray) bias), IValue.from(eps), IValue.from(silu));
    }

    // results are owned like those of any NDArray operation on the first operand: by its manager
    private NDArray call(String method, NDArray owner, IValue... in) {
        // the graph executor would profile and re-specialise these small graphs per shape; plain
        // interpretation is what a fused call needs (the switch is per thread)
        JniUtils.setGraphExecutorOptimize(false);
        try (IValue out = IValueUtils.runMethod(module, method, in)) {
            return out.toTensor((PtNDManager) owner.getManager());
        } finally {
            for (IValue i : in) {
                i.close();
            }
        }
    }

    private static byte[] archive() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            store(zip, "kernels/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            store(zip, "kernels/code/__torch__.py", SOURCE.getBytes(StandardCharsets.UTF_8));
            // pickle protocol 2: an empty tuple of constants
            store(zip, "kernels/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            store(zip, "kernels/data.pkl", modulePickle());
        }
        return bytes.toByteArray();
    }

    // __torch__.VidrdFusedKernels built from the state {"training": False}:
    // PROTO 2, GLOBAL, EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, MARK, BINUNICODE, NEWFALSE, SETITEMS, BUILD, STOP
    private static byte[] modulePickle() throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(new byte[] {(byte) 0x80, 2});
        p.write(("c__torch__\n" + CLASS_NAME + "\n").getBytes(StandardCharsets.US_ASCII));
        p.write(new byte[] {')', (byte) 0x81, '}', '(', 'X', 8, 0, 0, 0});
        p.write("training".getBytes(StandardCharsets.US_ASCII));
        p.write(new byte[] {(byte) 0x89, 'u', 'b', '.'});
        return p.toByteArray();
    }

    private static void store(ZipOutputStream zip, String name, byte[] data) throws IOException {
        // stored, not deflated: PyTorch's archive reader expects uncompressed records
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
