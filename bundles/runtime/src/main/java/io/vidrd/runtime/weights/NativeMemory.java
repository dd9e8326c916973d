package io.vidrd.runtime.weights;

import ai.djl.ndarray.NDManager;
import io.vidrd.runtime.Torch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the process holds natively, for leak checks: live DJL arrays (every manager of the PyTorch
 * engine is a descendant of its system manager), resident memory and live threads. Stateless.
 */
public final class NativeMemory {

    private NativeMemory() {}

    /** @return arrays alive in every manager of the PyTorch engine, on every device */
    public static int liveArrays() {
        NDManager probe = Torch.engine().newBaseManager();
        try {
            NDManager system = probe.getParentManager();
            return system == null ? probe.getManagedArrays().size() : system.getManagedArrays().size();
        } finally {
            probe.close();
        }
    }

    /** @return the resident set size in KiB ({@code VmRSS}), or -1 where /proc is not available */
    public static long residentKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** @return live threads of the JVM */
    public static int liveThreads() {
        return Thread.getAllStackTraces().size();
    }
}
