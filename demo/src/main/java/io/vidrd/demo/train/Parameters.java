package io.vidrd.demo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vidrd.runtime.checkpoint.SafetensorsWriter;
import io.vidrd.runtime.nn.WeightBinding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The parameters of a model that the project's own inference classes are rebuilt around for every
 * training step, so that training uses the one implementation that generates.
 *
 * <p>Why rebuild per step: modules may derive arrays from their weights when they are bound (on
 * the GPU {@code Attention} folds its scale into a copy of {@code to_q} and closes the original).
 * A copy made once would neither follow the optimiser's in-place updates nor survive the first
 * backward pass. Built inside the step's gradient collector from fresh aliases of the leaves,
 * every derived array is part of that step's graph and the gradient reaches the leaf.
 *
 * <p>{@link #loader()} is the {@link WeightBinding.TensorLoader} to bind with: on first sight of a
 * key it reads the tensor into this set's manager (marked as requiring gradients when the
 * predicate selects it), afterwards it only hands out an alias attached to the binding's manager,
 * which the step closes. Keys are the full state-dict keys (with the source prefix).
 */
public final class Parameters implements AutoCloseable {

    private final NDManager manager;
    private final Predicate<String> train;
    private final Map<String, NDArray> all = new LinkedHashMap<>();
    private final Map<String, NDArray> trainable = new LinkedHashMap<>();

    /**
     * @param parent parent manager (its device is used); the leaves live in a child that {@link #close()} frees
     * @param train which keys are trained; the others are frozen
     */
    public Parameters(NDManager parent, Predicate<String> train) {
        this.manager = parent.newSubManager();
        this.train = train;
    }

    /** @return the loader to bind modules with (see the class comment) */
    public WeightBinding.TensorLoader loader() {
        return (source, key, bindingManager, dataType, reader) -> {
            NDArray leaf = all.get(key);
            if (leaf == null) {
                leaf = reader.read(manager);
                if (train.test(key)) {
                    leaf.setRequiresGradient(true);
                    trainable.put(key, leaf);
                }
                all.put(key, leaf);
            }
            NDArray alias = leaf.reshape(leaf.getShape());
            alias.attach(bindingManager);
            return alias;
        };
    }

    /** @return the device the parameters live on */
    public ai.djl.Device device() {
        return manager.getDevice();
    }

    /** @return every parameter seen so far, by state-dict key, in binding order */
    public Map<String, NDArray> all() {
        return Collections.unmodifiableMap(all);
    }

    /** @return the trained parameters, by key */
    public Map<String, NDArray> trainable() {
        return Collections.unmodifiableMap(trainable);
    }

    /**
     * Writes the selected parameters, under their keys, as fp32 safetensors.
     *
     * @param file target file
     * @param select which keys to write
     * @throws IOException on write failure
     */
    public void save(Path file, Predicate<String> select) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        for (Map.Entry<String, NDArray> e : all.entrySet()) {
            if (select.test(e.getKey())) {
                w.putFloats(e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray());
            }
        }
        w.write(file);
    }

    @Override
    public void close() {
        manager.close();
    }
}
