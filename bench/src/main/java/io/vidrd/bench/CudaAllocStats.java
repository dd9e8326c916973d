package io.vidrd.bench;

/**
 * PyTorch's CUDA caching-allocator counters for the bench programs, through the JNI library of
 * {@code bench/src/main/native/cuda_alloc_stats.cpp} named by {@code -Dvidrd.bench.cudaStatsLib}
 * (the same library {@code vidrd bench} uses). Without it the programs skip memory figures.
 */
final class CudaAllocStats {

    private static final double GIB = 1024.0 * 1024 * 1024;

    private final int device;

    private CudaAllocStats(int device) {
        this.device = device;
    }

    /**
     * @param device CUDA device index
     * @return the counters, or null when no library is named or it cannot be loaded
     */
    static CudaAllocStats load(int device) {
        String lib = System.getProperty("vidrd.bench.cudaStatsLib");
        if (lib == null) {
            return null;
        }
        try {
            System.load(lib);
            return new CudaAllocStats(device);
        } catch (UnsatisfiedLinkError e) {
            System.err.println("no allocator statistics: " + e.getMessage());
            return null;
        }
    }

    /** Starts a new peak at the current allocation. */
    void startPeak() {
        resetPeak(device);
    }

    /** @return GiB allocated now */
    double allocatedGib() {
        return stats(device)[0] / GIB;
    }

    /** @return GiB allocated at the peak since {@link #startPeak()} */
    double peakGib() {
        return stats(device)[1] / GIB;
    }

    private static native long[] stats(int device);

    private static native void resetPeak(int device);
}
