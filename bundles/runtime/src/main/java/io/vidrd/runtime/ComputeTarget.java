package io.vidrd.runtime;

import ai.djl.Device;
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
        return new ComputeTarget(normalised, p);
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
