package io.vidrd.demo.train;

import java.util.SplittableRandom;

/**
 * Standard normal numbers from a seeded {@link SplittableRandom} (Box–Muller), made on the host so
 * that a training run draws the same noise on every device and after every resume.
 */
final class GaussianNoise {

    private GaussianNoise() {
    }

    /**
     * @param random the stream
     * @param count how many
     * @return {@code count} draws of N(0, 1)
     */
    static float[] draw(SplittableRandom random, int count) {
        float[] out = new float[count];
        for (int i = 0; i < count; i += 2) {
            double u = 1 - random.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u));
            double a = 2 * Math.PI * random.nextDouble();
            out[i] = (float) (r * Math.cos(a));
            if (i + 1 < count) {
                out[i + 1] = (float) (r * Math.sin(a));
            }
        }
        return out;
    }
}
