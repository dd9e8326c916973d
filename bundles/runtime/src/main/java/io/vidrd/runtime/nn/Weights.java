package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;

/**
 * A view of a {@link WeightBinding} scoped by key prefix: {@code root.at("down_blocks.1")
 * .at("resnets.0").take("conv1.weight", ...)} reads {@code down_blocks.1.resnets.0.conv1.weight}.
 * Every take is recorded by the binding, which reports what was missing, mismatched or left over.
 */
public final class Weights {

    private final WeightBinding binding;
    private final String prefix;

    Weights(WeightBinding binding, String prefix) {
        this.binding = binding;
        this.prefix = prefix;
    }

    /**
     * @param path a dotted sub-path such as {@code "resnets.0"} (more parts are joined with dots)
     * @return a view whose names are relative to this prefix plus the path
     */
    public Weights at(String... path) {
        StringBuilder b = new StringBuilder(prefix);
        for (String p : path) {
            Objects.requireNonNull(p, "path");
            if (p.isEmpty()) {
                continue;
            }
            b.append(p).append('.');
        }
        return new Weights(binding, b.toString());
    }

    /**
     * Same as {@link #at(String...)} with one part.
     *
     * @param path dotted sub-path
     * @return the scoped view
     */
    public Weights scope(String path) {
        return at(path);
    }

    /**
     * Loads a tensor onto the binding's manager in the binding's precision.
     *
     * @param name name relative to this view, e.g. {@code "conv1.weight"}
     * @param expectedShape the shape the module needs
     * @return the tensor; a zero placeholder if the key is missing or has another shape (the
     *     binding reports it in {@link WeightBinding#finish()})
     */
    public NDArray take(String name, long... expectedShape) {
        return binding.take(prefix + name, expectedShape);
    }

    /**
     * @param name name relative to this view
     * @return whether a source holds it; does not count as taken
     */
    public boolean has(String name) {
        return binding.has(prefix + name);
    }

    /**
     * @param name name relative to this view
     * @return the name relative to the source prefixes
     */
    public String key(String name) {
        return prefix + name;
    }

    /** @return the manager holding the weights */
    public NDManager manager() {
        return binding.manager();
    }

    /**
     * @return the binding's fused kernels, or null where the blocks use DJL's own operations
     *     (see {@link WeightBinding.Builder#fusedKernels(boolean)})
     */
    public FusedKernels fusedKernels() {
        return binding.fusedKernels();
    }

    /** @return the element type of floating-point weights */
    public DataType dataType() {
        return binding.dataType();
    }
}
