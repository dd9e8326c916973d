package io.vidrd.engine.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import io.vidrd.api.GenerationException;
import io.vidrd.runtime.DeviceMemory;
import org.junit.jupiter.api.Test;

/** Which failures count as out of device memory, and what the job then says. */
class OutOfMemoryFailureTest {

    private static final String CUDA = "CUDA out of memory. Tried to allocate 40.00 GiB. GPU 0 has a total capacity"
            + " of 139.81 GiB of which 12.50 GiB is free. Of the allocated memory 120.3 GiB is allocated by PyTorch\n"
            + "If reserved but unallocated memory is large try setting PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True";

    @Test
    void pytorchOutOfMemoryIsRecognisedAlsoWhenWrapped() {
        assertTrue(DeviceMemory.isOutOfMemory(new EngineException(CUDA)));
        assertTrue(DeviceMemory.isOutOfMemory(new IllegalStateException("decode failed", new EngineException(CUDA))));
        assertTrue(DeviceMemory.isOutOfMemory(new EngineException(
                "[enforce fail at alloc_cpu.cpp:117] data. DefaultCPUAllocator: not enough memory: you tried to allocate 1 GB")));
        assertFalse(DeviceMemory.isOutOfMemory(new EngineException("inconsistent tensor size, expected tensor [384]")));
        assertFalse(DeviceMemory.isOutOfMemory(new IllegalStateException("out of memory")), "not PyTorch's");
        assertFalse(DeviceMemory.isOutOfMemory(new EngineException((String) null)));
    }

    @Test
    void theMessageSaysWhatHappenedAndWhatToDo() {
        EngineException cause = new EngineException(CUDA);
        GenerationException e = OutOfMemoryFailure.of(cause, "gpu:0", "fp32");
        assertSame(cause, e.getCause());
        String m = e.getMessage();
        assertTrue(m.startsWith("out of memory on gpu:0: CUDA out of memory. Tried to allocate 40.00 GiB. GPU 0 has"), m);
        assertFalse(m.contains("PYTORCH_CUDA_ALLOC_CONF"), "PyTorch's Python-side advice is left out: " + m);
        assertTrue(m.contains("engine serves the next job"), m);
        assertTrue(m.contains("smaller width and height") && m.contains("fewer frames per clip")
                && m.contains("dtype fp16") && m.contains("slice.frames"), m);
        assertFalse(OutOfMemoryFailure.of(cause, "gpu:0", "fp16").getMessage().contains("dtype fp16"),
                "fp16 is not advised to a job that already runs fp16");
        assertEquals("CUDA out of memory. Tried to allocate 1 GiB",
                DeviceMemory.firstLine(new RuntimeException(new EngineException("  CUDA out of memory. Tried to allocate 1 GiB\nmore"))));
    }
}
