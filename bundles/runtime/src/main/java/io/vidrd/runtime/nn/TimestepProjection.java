package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * The diffusers {@code Timesteps} module (no parameters): sinusoidal features of the timestep,
 * computed in fp32 on the timesteps' device as diffusers 0.14 does: {@code ω_k = exp(−ln(10⁴)·k
 * / (half − freqShift))}, features {@code [sin(tω) | cos(tω)]}, halves swapped to {@code [cos |
 * sin]} when {@code flipSinToCos}.
 *
 * @param channels output width (even)
 * @param flipSinToCos whether cosines come first (true in SD)
 * @param freqShift diffusers' {@code downscale_freq_shift} (0 in SD)
 */
public record TimestepProjection(int channels, boolean flipSinToCos, float freqShift) {

    /** @throws IllegalArgumentException for an odd channel count */
    public TimestepProjection {
        if (channels % 2 != 0) {
            throw new IllegalArgumentException("timestep projection needs an even width, got " + channels);
        }
    }

    /**
     * The frequencies ω, computed once per job and reused for every step: building them in
     * {@link #forward(NDArray)} would upload two scalars to the device (a blocking host copy) per call.
     *
     * @param manager owner of the result (its device is used)
     * @return {@code [1, channels/2]} fp32
     */
    public NDArray frequencies(NDManager manager) {
        int half = channels / 2;
        NDArray k = manager.arange(0f, half, 1f, DataType.FLOAT32, manager.getDevice());
        return k.mul((float) -Math.log(10000.0)).div(half - freqShift).exp().reshape(1, half);
    }

    /**
     * @param timesteps {@code [B]}, integer or float
     * @return {@code [B, channels]} fp32
     */
    public NDArray forward(NDArray timesteps) {
        try (NDManager scratch = timesteps.getManager().newSubManager()) {
            NDArray freq = frequencies(scratch);
            // the result's manager is the timesteps' (first operand), so closing scratch keeps it
            return forward(timesteps, freq);
        }
    }

    /**
     * @param timesteps {@code [B]}, integer or float
     * @param frequencies {@link #frequencies} on the timesteps' device
     * @return {@code [B, channels]} fp32
     */
    public NDArray forward(NDArray timesteps, NDArray frequencies) {
        NDArray args = timesteps.toType(DataType.FLOAT32, false).reshape(-1, 1).mul(frequencies);
        NDArray sin = args.sin();
        NDArray cos = args.cos();
        return flipSinToCos ? cos.concat(sin, 1) : sin.concat(cos, 1);
    }
}
