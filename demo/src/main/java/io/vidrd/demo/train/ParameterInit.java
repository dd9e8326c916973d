package io.vidrd.demo.train;

import io.vidrd.runtime.checkpoint.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * PyTorch's default initialisation for a layout of named tensors: weights and biases of
 * convolutions, linear layers and embeddings uniform in ±1/√fan-in of their module's weight, norm
 * scales 1 and shifts 0 (a norm is a module whose weight has one axis), and all-zero tensors for the
 * modules chosen by {@code zeroModule}: the last layer of a temporal stack, so that it starts as
 * the identity (the paper's §4.4 recipe).
 */
public final class ParameterInit {

    private ParameterInit() {
    }

    /**
     * @param file target safetensors file
     * @param shapes key → shape (keys are written with {@code prefix} in front)
     * @param prefix written in front of every key
     * @param zeroModule modules (key without its last segment) to start at zero
     * @param seed initialisation seed
     * @throws IOException on write failure
     */
    public static void write(Path file, Map<String, long[]> shapes, String prefix, Predicate<String> zeroModule,
            long seed) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            w.putFloats(prefix + e.getKey(), e.getValue(), values(e.getKey(), e.getValue(), shapes, zeroModule, rnd));
        }
        w.write(file);
    }

    private static float[] values(String key, long[] shape, Map<String, long[]> shapes, Predicate<String> zeroModule,
            SplittableRandom rnd) {
        float[] v = new float[Math.toIntExact(count(shape))];
        String module = key.substring(0, key.lastIndexOf('.'));
        long[] weightShape = shapes.getOrDefault(module + ".weight", shape);
        if (weightShape.length == 1) {
            if (key.endsWith(".weight")) {
                Arrays.fill(v, 1f);
            }
            return v;
        }
        if (zeroModule.test(module)) {
            return v;
        }
        double bound = 1 / Math.sqrt(count(weightShape) / weightShape[0]);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        }
        return v;
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}
