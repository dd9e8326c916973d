package io.vidrd.runtime;

import ai.djl.Device;
import ai.djl.engine.StandardCapabilities;
import ai.djl.util.cuda.CudaUtils;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a job runs and in which precision: the device/dtype policy. Reduced precision is refused
 * on the CPU up front (bf16 aborts the JVM with stock DJL natives and fp16 convolutions are not
 * supported there), so a request can never crash the process.
 */
public final class ComputeTarget {

    private final String deviceName;
    private final Precision precision;

    private ComputeTarget(String deviceName, Precision precision) {
        this.deviceName = deviceName;
        this.precision = precision;
    }

    /** @return fp32 on the CPU */
    public static ComputeTarget cpu() {
        return new ComputeTarget("cpu", Precision.FP32);
    }

    /**
     * @param device {@code cpu}, {@code gpu} or {@code gpu:N}
     * @param dtype {@code fp32}, {@code fp16} or {@code bf16}
     * @return the target
     * @throws IllegalArgumentException naming the bad field, its value and what is allowed
     */
    public static ComputeTarget parse(String device, String dtype) {
        String d = device == null ? "" : device.trim().toLowerCase(Locale.ROOT);
        String normalised;
        if (d.equals("cpu")) {
            normalised = "cpu";
        } else if (d.equals("gpu") || d.equals("cuda")) {
            normalised = "gpu:0";
        } else if (d.matches("(gpu|cuda):\\d{1,3}")) {
            normalised = "gpu:" + Integer.parseInt(d.substring(d.indexOf(':') + 1));
        } else {
            throw new IllegalArgumentException("device '" + device + "' is not supported; allowed: cpu, gpu, gpu:N");
        }
        Precision p = Precision.parse(dtype);
        if (normalised.equals("cpu") && p != Precision.FP32) {
            throw new IllegalArgumentException("dtype '" + p.shortName() + "' is not supported on device 'cpu'; "
                    + "the CPU runs fp32 only (fp16/bf16 need a CUDA device)");
        }
        if (p == Precision.BF16 && !bf16Declared()) {
            throw new IllegalArgumentException("dtype 'bf16' is not supported by this PyTorch runtime: DJL 0.35.1's"
                    + " published JNI has no bfloat16 mapping and aborts the JVM on any bf16 tensor. Use fp16, or run"
                    + " with a DJL JNI that maps BFLOAT16 and declare it with -D" + BF16_PROPERTY + "=true (or "
                    + BF16_ENV + "=true)");
        }
        return new ComputeTarget(normalised, p);
    }

    /** JVM property declaring that the loaded DJL PyTorch JNI maps {@code DataType.BFLOAT16}. */
    public static final String BF16_PROPERTY = "vidrd.torch.bf16";
    /** Environment variable with the same meaning as {@link #BF16_PROPERTY}. */
    public static final String BF16_ENV = "VIDRD_TORCH_BF16";

    /**
     * Whether bf16 may be used. It cannot be probed: the first bf16 tensor handed to a JNI without
     * the mapping terminates the process, so the operator who installed such a JNI says so.
     */
    private static boolean bf16Declared() {
        String v = System.getProperty(BF16_PROPERTY);
        if (v == null) {
            v = System.getenv(BF16_ENV);
        }
        return Boolean.parseBoolean(v);
    }

    /**
     * Checks what {@link #parse} cannot know: that this machine has the GPU, and that the GPU
     * computes bf16 natively (compute capability 8.0, Ampere, or newer; older ones lack bf16
     * tensor-core paths and kernels that PyTorch then refuses or emulates slowly).
     *
     * @return this target
     * @throws IllegalArgumentException naming the device and what it lacks
     */
    public ComputeTarget requireAvailable() {
        if (!isGpu()) {
            return this;
        }
        int id = device().getDeviceId();
        if (!Torch.engine().hasCapability(StandardCapabilities.CUDA)) {
            throw new IllegalArgumentException("device '" + deviceName + "' is not available: this PyTorch runtime"
                    + " has no CUDA support (CPU natives); use device cpu, or a CUDA libtorch (README, GPU / CUDA)");
        }
        // 0 when the CUDA runtime cannot be queried: then PyTorch reports a missing device itself
        int count = CudaUtils.getGpuCount();
        if (count > 0 && id >= count) {
            throw new IllegalArgumentException("device '" + deviceName + "' is not available: this machine has "
                    + count + " CUDA GPU(s), gpu:0 to gpu:" + (count - 1));
        }
        if (precision == Precision.BF16) {
            String capability;
            try {
                capability = CudaUtils.getComputeCapability(id);
            } catch (RuntimeException | LinkageError e) {
                capability = "";
            }
            requireBf16Capability(deviceName, capability);
        }
        return this;
    }

    /**
     * @param deviceName the device, for the message
     * @param capability CUDA compute capability as CudaUtils writes it: major and minor digits, e.g. {@code 86}
     * @throws IllegalArgumentException if it is older than 8.0
     */
    static void requireBf16Capability(String deviceName, String capability) {
        int major;
        try {
            major = Integer.parseInt(capability.substring(0, capability.length() - 1));
        } catch (RuntimeException e) {
            return;   // unknown: let PyTorch decide rather than refuse a GPU that may work
        }
        if (major < 8) {
            throw new IllegalArgumentException("dtype 'bf16' is not supported on device '" + deviceName + "': it has"
                    + " compute capability " + major + "." + capability.substring(capability.length() - 1)
                    + ", bf16 needs 8.0 (Ampere) or newer; use fp16 or fp32");
        }
    }

    /** @return {@code cpu} or {@code gpu:N} */
    public String deviceName() {
        return deviceName;
    }

    /** @return whether this is a GPU */
    public boolean isGpu() {
        return deviceName.startsWith("gpu");
    }

    /** @return the DJL device */
    public Device device() {
        return isGpu() ? Device.gpu(Integer.parseInt(deviceName.substring(4))) : Device.cpu();
    }

    /** @return the precision */
    public Precision precision() {
        return precision;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ComputeTarget && ((ComputeTarget) o).deviceName.equals(deviceName)
                && ((ComputeTarget) o).precision == precision;
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceName, precision);
    }

    @Override
    public String toString() {
        return deviceName + "/" + precision.shortName();
    }
}
