package io.vidrd.demo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.vidrd.runtime.checkpoint.Checkpoints;
import io.vidrd.runtime.checkpoint.SafetensorsWriter;
import io.vidrd.runtime.checkpoint.StateDict;
import io.vidrd.runtime.checkpoint.TensorRecord;
import io.vidrd.runtime.checkpoint.TensorType;
import io.vidrd.runtime.nn.TensorConversion;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Adam (Kingma & Ba; PyTorch's defaults β = (0.9, 0.999), ε = 1e-8, no weight decay) over named
 * parameters, updating them in place. Called outside a gradient collector, so the in-place update
 * of a leaf that requires gradients is allowed and not recorded; clears each gradient after use.
 * Moment state is kept per key and checkpointed ({@link #save}, {@link #restore}) so that a resumed
 * run continues the same optimisation.
 */
public final class Adam implements AutoCloseable {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;

    private static final String FIRST = "exp_avg.";
    private static final String SECOND = "exp_avg_sq.";
    private static final String STEP = "step";

    private final float learningRate;
    private final int warmupSteps;
    private final Map<String, NDArray> first = new HashMap<>();
    private final Map<String, NDArray> second = new HashMap<>();
    private int step;

    /** @param learningRate the step size */
    public Adam(float learningRate) {
        this(learningRate, 0);
    }

    /**
     * @param learningRate the step size
     * @param warmupSteps updates over which the step size ramps up linearly from {@code lr/warmupSteps}
     *     (0: none). Fresh moments make the first updates about {@code lr} on every weight whatever
     *     its gradient's noise (bias correction divides a one-sample mean by its own magnitude): on a
     *     trained model that jolts every weight at once; restored moments resume past the ramp.
     */
    public Adam(float learningRate, int warmupSteps) {
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmupSteps);
        }
        this.learningRate = learningRate;
        this.warmupSteps = warmupSteps;
    }

    /**
     * One update of every parameter from its accumulated gradient.
     *
     * @param params parameters by key (each requires gradients)
     */
    public void step(Map<String, NDArray> params) {
        if (params.isEmpty()) {
            return;
        }
        step++;
        float c1 = 1 - (float) Math.pow(BETA1, step);
        float c2 = 1 - (float) Math.pow(BETA2, step);
        // the step's scalars as 0-dim arrays made once: a Java number operand would be uploaded
        // to the device again for every parameter (a blocking copy on a GPU)
        try (NDManager scalars = params.values().iterator().next().getManager().newSubManager()) {
            NDArray beta1 = scalars.create(BETA1);
            NDArray rest1 = scalars.create(1 - BETA1);
            NDArray beta2 = scalars.create(BETA2);
            NDArray rest2 = scalars.create(1 - BETA2);
            NDArray unbias2 = scalars.create(1 / c2);
            NDArray eps = scalars.create(EPS);
            float ramp = step < warmupSteps ? step / (float) warmupSteps : 1;
            NDArray rate = scalars.create(learningRate * ramp / c1);
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                NDArray p = e.getValue();
                try (NDArray g = p.getGradient()) {
                    NDArray m = first.computeIfAbsent(e.getKey(), k -> p.zerosLike());
                    NDArray v = second.computeIfAbsent(e.getKey(), k -> p.zerosLike());
                    try (NDArray g1 = g.mul(rest1)) {
                        m.muli(beta1).addi(g1);
                    }
                    try (NDArray g2 = g.mul(g).muli(rest2)) {
                        v.muli(beta2).addi(g2);
                    }
                    try (NDArray vhat = v.mul(unbias2);
                            NDArray denom = vhat.sqrt().addi(eps);
                            NDArray update = m.mul(rate).divi(denom)) {
                        p.subi(update);
                    }
                    g.subi(g);
                }
            }
        }
    }

    /**
     * Writes the moments ({@code exp_avg.<key>}, {@code exp_avg_sq.<key>}) as bfloat16 and the
     * update count ({@code step}) as safetensors. bf16 halves the file, which is what lets a
     * training run's folder with its moments travel to the GPU machine within a call's 64 MiB; its
     * binary32 range keeps the tiny second moments that fp16 would flush to zero, and its 8-bit
     * mantissa is far finer than the moments' own noise.
     *
     * @param file target file
     * @throws IOException on write failure
     */
    public void save(Path file) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        for (String key : new TreeMap<>(first).keySet()) {
            NDArray m = first.get(key);
            w.putFloats(FIRST + key, TensorType.BFLOAT16, m.getShape().getShape(), m.toFloatArray());
            w.putFloats(SECOND + key, TensorType.BFLOAT16, m.getShape().getShape(), second.get(key).toFloatArray());
        }
        w.putLongs(STEP, new long[0], new long[] {step});
        w.write(file);
    }

    /**
     * Replaces the state by a saved one.
     *
     * @param file written by {@link #save}
     * @param params the parameters the moments belong to (their managers and devices are used)
     * @throws IOException if the file cannot be read or names a parameter not in {@code params}
     */
    public void restore(Path file, Map<String, NDArray> params) throws IOException {
        restore(file, params, key -> false);
    }

    /**
     * Replaces the state by a saved one, leaving out the moments of weights no longer trained.
     *
     * @param file written by {@link #save}
     * @param params the parameters the moments belong to (their managers and devices are used)
     * @param untrained keys of weights that the file may hold but that are not trained now (dropped)
     * @return how many moment tensors were dropped
     * @throws IOException if the file cannot be read or names any other parameter not in {@code params}
     */
    public int restore(Path file, Map<String, NDArray> params, Predicate<String> untrained) throws IOException {
        close();
        int dropped = 0;
        try (StateDict dict = Checkpoints.open(file)) {
            for (TensorRecord r : dict.tensors().values()) {
                if (r.key().equals(STEP)) {
                    step = (int) r.read().order(ByteOrder.LITTLE_ENDIAN).getLong(0);
                    continue;
                }
                boolean isFirst = r.key().startsWith(FIRST);
                String key = r.key().substring(isFirst ? FIRST.length() : SECOND.length());
                NDArray p = params.get(key);
                if (p == null && untrained.test(key)) {
                    dropped++;
                    continue;
                }
                if (p == null) {
                    throw new IOException(file + ": optimiser state for unknown parameter " + key);
                }
                // bf16 as written now, fp32 as written by earlier runs
                if (r.type() != TensorType.BFLOAT16 && r.type() != TensorType.FLOAT32) {
                    throw new IOException(file + ": " + r.key() + " is " + r.type() + ", expected BFLOAT16 or FLOAT32");
                }
                (isFirst ? first : second).put(key, TensorConversion.toNDArray(p.getManager(), r, DataType.FLOAT32));
            }
        }
        return dropped;
    }

    /** @return updates done so far */
    public int steps() {
        return step;
    }

    @Override
    public void close() {
        first.values().forEach(NDArray::close);
        second.values().forEach(NDArray::close);
        first.clear();
        second.clear();
    }
}
