package io.vidrd.engine.osgi;

import io.vidrd.api.GenerationException;
import io.vidrd.runtime.DeviceMemory;

/**
 * The failure a job reports when PyTorch ran out of device memory: what happened, that the engine
 * is still there, and what makes the job fit. PyTorch's own text is long (allocator statistics and
 * tuning advice meant for Python users); only its first line is kept.
 */
final class OutOfMemoryFailure {

    private OutOfMemoryFailure() {}

    /**
     * @param cause the failure, {@link DeviceMemory#isOutOfMemory} true
     * @param device where the job ran ({@code gpu:0}, {@code cpu})
     * @param dtype the engine's precision ({@code fp32}, ...)
     * @return the job's failure
     */
    static GenerationException of(Throwable cause, String device, String dtype) {
        String torch = DeviceMemory.firstLine(cause);
        StringBuilder m = new StringBuilder("out of memory on ").append(device).append(": ")
                .append(torch.endsWith(".") ? torch.substring(0, torch.length() - 1) : torch)
                .append(". The job needed more memory than was free; its arrays were released and the engine"
                        + " serves the next job. To fit, use a smaller width and height (memory grows with the"
                        + " square of the pixel count in attention), fewer frames per clip (the number of clips"
                        + " does not change the peak)");
        if (dtype.equals("fp32") && !device.equals("cpu")) {
            m.append(", dtype fp16 (half the memory of fp32)");
        }
        m.append(", or fewer frames decoded at once (the VAE codec's slice.frames, or the engine's vae.slice.frames)");
        return new GenerationException(m.toString(), cause);
    }
}
