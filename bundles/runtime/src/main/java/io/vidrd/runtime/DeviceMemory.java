package io.vidrd.runtime;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Locale;

/**
 * Device-memory failures as PyTorch reports them through DJL, and giving cached memory back. A
 * CUDA allocation that fails surfaces as an {@link EngineException} carrying PyTorch's message
 * ("CUDA out of memory. Tried to allocate 40.00 GiB (GPU 0; ...)"); the CPU allocator says
 * "DefaultCPUAllocator: not enough memory". Neither is a Java {@link OutOfMemoryError}: the JVM
 * heap is fine, the device is full.
 */
public final class DeviceMemory {

    private DeviceMemory() {}

    /**
     * @param failure anything a job threw
     * @return whether it, or one of its causes, is PyTorch running out of device (or native host)
     *     memory
     */
    public static boolean isOutOfMemory(Throwable failure) {
        String m = torchMessage(failure);
        if (m == null) {
            return false;
        }
        m = m.toLowerCase(Locale.ROOT);
        return m.contains("out of memory") || m.contains("not enough memory");
    }

    /**
     * @param failure an out-of-memory failure ({@link #isOutOfMemory})
     * @return PyTorch's first line ("CUDA out of memory. Tried to allocate 40.00 GiB ..."), without
     *     the allocator's tuning advice that follows, at most 300 characters
     */
    public static String firstLine(Throwable failure) {
        String m = torchMessage(failure);
        if (m == null) {
            return String.valueOf(failure);
        }
        m = m.strip();
        int end = m.indexOf('\n');
        m = end < 0 ? m : m.substring(0, end).strip();
        return m.length() <= 300 ? m : m.substring(0, 300) + "...";
    }

    /** @return the message of the first {@link EngineException} in the cause chain, or null */
    private static String torchMessage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EngineException) {
                return t.getMessage();
            }
        }
        return null;
    }

    /**
     * Hands the memory PyTorch's CUDA caching allocator holds but no tensor uses back to the driver
     * ({@code torch.cuda.empty_cache()}). Only worth it when memory must leave the process (after an
     * out-of-memory failure, or when an engine stops): after every job it would only make the next
     * job allocate again. Nothing to do on the CPU.
     *
     * @param device the device whose arrays were freed
     */
    public static void releaseCached(Device device) {
        if (device.isGpu()) {
            JniUtils.emptyCudaCache();
        }
    }
}
