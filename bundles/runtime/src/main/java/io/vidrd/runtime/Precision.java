package io.vidrd.runtime;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * Floating-point precision of a job's weights and activations. The official implementation runs
 * in fp32 everywhere, so fp32 is the default and the only choice that gives parity; fp16 and bf16
 * exist for speed on CUDA.
 */
public enum Precision {
    /** 32-bit IEEE float; the default and the only precision allowed on the CPU. */
    FP32(DataType.FLOAT32),
    /** 16-bit IEEE half; CUDA only. */
    FP16(DataType.FLOAT16),
    /** bfloat16; CUDA only, and only with a PyTorch JNI that maps it (stock DJL 0.35.1 aborts). */
    BF16(DataType.BFLOAT16);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    /** @return the DJL data type */
    public DataType dataType() {
        return dataType;
    }

    /**
     * @param name {@code fp32}, {@code fp16} or {@code bf16} (also {@code float32}, {@code float16},
     *     {@code bfloat16}), case-insensitive
     * @return the precision
     * @throws IllegalArgumentException naming the value and the allowed ones
     */
    public static Precision parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "fp32": case "float32": return FP32;
            case "fp16": case "float16": case "half": return FP16;
            case "bf16": case "bfloat16": return BF16;
            default:
                throw new IllegalArgumentException("dtype '" + name + "' is not supported; allowed: fp32, fp16, bf16");
        }
    }

    /** @return the lower-case short name ({@code fp32}, ...) */
    public String shortName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
