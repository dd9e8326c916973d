package io.vidrd.runtime;

/**
 * The only source of randomness of a job. Draws are made in Java, independent of the device, so a
 * seed gives the same starting noise on the CPU and on a GPU; the order and shapes of the draws
 * follow the official implementation (VIDRD.md §6.5) so recorded draws can be replayed.
 */
public interface NoiseSource {

    /**
     * Draws normally distributed values, like {@code torch.normal(mean, std, size=shape)}: a
     * standard normal {@code z} per element, returned as {@code fl32(z * fl32(std)) + mean}.
     *
     * @param shape the tensor shape; elements are produced in row-major order
     * @param mean the mean
     * @param std the standard deviation
     * @return {@code product(shape)} values
     */
    float[] normal(long[] shape, float mean, float std);

    /** @return how many draws (calls of {@link #normal}) were made so far */
    int drawCount();
}
