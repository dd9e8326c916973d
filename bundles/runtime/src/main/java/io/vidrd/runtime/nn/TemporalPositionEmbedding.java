package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * VidRD's frame-position table ({@code get_sin_pos_embedding}): {@code PE[f, 2i] = sin(f·ν_i)},
 * {@code PE[f, 2i+1] = cos(f·ν_i)}, {@code ν_i = exp(2i · −(ln(10⁴)/C))}, interleaved (unlike the
 * timestep features). Computed in fp32 on the host like the reference, then placed on the device.
 */
public final class TemporalPositionEmbedding {

    private TemporalPositionEmbedding() {}

    /**
     * @param manager where the table is created (use the activation's manager)
     * @param frames F
     * @param channels C (even)
     * @param type element type of the activations
     * @return {@code [F, C]}
     */
    public static NDArray table(NDManager manager, int frames, int channels, DataType type) {
        if (channels % 2 != 0) {
            throw new IllegalArgumentException("temporal position embedding needs an even width, got " + channels);
        }
        float[] pe = values(frames, channels);
        NDArray t = manager.create(pe, new Shape(frames, channels));
        return type == DataType.FLOAT32 ? t : t.toType(type, false);
    }

    /**
     * @param frames F
     * @param channels C (even)
     * @return the table in row-major order
     */
    static float[] values(int frames, int channels) {
        // the reference multiplies a float32 arange by the float32-rounded double -(ln(1e4)/C)
        float factor = (float) -(Math.log(10000.0) / channels);
        float[] pe = new float[frames * channels];
        for (int i = 0; i < channels / 2; i++) {
            float nu = (float) Math.exp((float) (2 * i) * factor);
            for (int f = 0; f < frames; f++) {
                float a = (float) f * nu;
                pe[f * channels + 2 * i] = (float) Math.sin(a);
                pe[f * channels + 2 * i + 1] = (float) Math.cos(a);
            }
        }
        return pe;
    }
}
