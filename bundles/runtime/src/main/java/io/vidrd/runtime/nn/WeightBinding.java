package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.checkpoint.StateDict;
import io.vidrd.runtime.checkpoint.TensorRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Binds the tensors of one or more state dicts to a module while it is being built, and checks at
 * the end that the module and the files agree exactly.
 *
 * <p>Use: create a binding, build the module from {@link #root()} (each block calls
 * {@link Weights#take}), then call {@link #finish()}. Nothing is thrown while binding, so that
 * {@code finish} can report every missing, unexpected and wrongly shaped key at once. After the
 * first problem no further tensor is read: the remaining takes return zero placeholders of the
 * expected shape (stride-0 views, no memory), because the module will never run.
 *
 * <p>A source is a state dict plus a key prefix ({@code "unet."} for the U-Net part of a
 * Lightning checkpoint); only keys under that prefix belong to this binding, and a weight named
 * {@code n} is looked up as {@code prefix + n}. With several sources the first that has the key
 * wins. Not thread-safe: one thread builds one module.
 */
public final class WeightBinding {

    private static final int LISTED = 20;

    private final String what;
    private final NDManager manager;
    private final DataType dataType;
    private final List<Source> sources;
    private final Predicate<String> ignored;
    private final TensorLoader loader;
    private final boolean fusedKernelsWanted;
    private FusedKernels fusedKernels;
    private final Set<String> taken = new LinkedHashSet<>();
    private final List<String> missing = new ArrayList<>();
    private final List<String> mismatched = new ArrayList<>();

    private WeightBinding(Builder b) {
        this.what = b.what;
        this.manager = b.manager;
        this.dataType = b.precision.dataType();
        this.sources = List.copyOf(b.sources);
        this.ignored = b.ignored;
        this.loader = b.loader;
        // the system property is an off switch for comparing against the explicit kernels
        this.fusedKernelsWanted = b.fusedKernels && manager.getDevice().isGpu()
                && Boolean.parseBoolean(System.getProperty("vidrd.torch.fusedKernels", "true"));
    }

    /**
     * @param what what is being loaded, for messages ("U-Net", "text encoder")
     * @param manager where the weights will live (its device is the target device)
     * @param precision the element type of the loaded weights; fp16/bf16 only on a GPU manager
     * @return a builder
     */
    public static Builder builder(String what, NDManager manager, Precision precision) {
        return new Builder(what, manager, precision);
    }

    /** @return a view of all sources with an empty name prefix */
    public Weights root() {
        return new Weights(this, "");
    }

    /** @return the manager that owns the loaded weights */
    public NDManager manager() {
        return manager;
    }

    /** @return the element type of loaded floating-point weights */
    public DataType dataType() {
        return dataType;
    }

    /**
     * @return the fused kernels the blocks may use, loaded once per binding on first use; null
     *     unless requested with {@link Builder#fusedKernels(boolean)} and the manager is on a GPU
     */
    FusedKernels fusedKernels() {
        if (fusedKernelsWanted && fusedKernels == null) {
            fusedKernels = FusedKernels.load(manager);
        }
        return fusedKernels;
    }

    /** @return the number of distinct keys taken so far */
    public int takenCount() {
        return taken.size();
    }

    /**
     * @param name weight name relative to the source prefixes
     * @return whether some source has it (does not count as taken)
     */
    boolean has(String name) {
        return find(name) != null;
    }

    NDArray take(String name, long[] expected) {
        Objects.requireNonNull(name, "name");
        if (!taken.add(name)) {
            throw new IllegalStateException(what + ": weight '" + name + "' taken twice (a module wiring error)");
        }
        Found f = find(name);
        if (f == null) {
            missing.add(name);
            return placeholder(expected);
        }
        long[] actual = f.record.shape();
        if (!Arrays.equals(actual, expected)) {
            mismatched.add(f.source.prefix + name + ": expected " + Arrays.toString(expected) + ", file has "
                    + Arrays.toString(actual));
            return placeholder(expected);
        }
        if (!missing.isEmpty() || !mismatched.isEmpty()) {
            return placeholder(expected);
        }
        try {
            TensorRecord record = f.record;
            return loader.load(f.source.dict, f.source.prefix + name, manager, dataType,
                    m -> TensorConversion.toNDArray(m, record, dataType));
        } catch (IOException e) {
            throw new UncheckedIOException(f.source.dict.source() + ": cannot read tensor '" + f.source.prefix + name
                    + "': " + e.getMessage(), e);
        }
    }

    private NDArray placeholder(long[] expected) {
        return manager.zeros(new Shape(1), dataType).broadcast(new Shape(expected));
    }

    private Found find(String name) {
        for (Source s : sources) {
            TensorRecord r = s.dict.tensors().get(s.prefix + name);
            if (r != null) {
                return new Found(s, r);
            }
        }
        return null;
    }

    /**
     * Checks that every key needed was found with the right shape, and that every key under the
     * sources' prefixes was taken (except ignored ones).
     *
     * @throws WeightBindingException listing all problems and naming the files
     */
    public void finish() {
        List<String> unexpected = new ArrayList<>();
        for (Source s : sources) {
            for (String key : s.dict.keys()) {
                if (!key.startsWith(s.prefix)) {
                    continue;
                }
                String name = key.substring(s.prefix.length());
                if (!taken.contains(name) && !ignored.test(name)) {
                    unexpected.add(key);
                }
            }
        }
        if (missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty()) {
            return;
        }
        List<Path> files = new ArrayList<>();
        for (Source s : sources) {
            files.add(s.dict.source());
        }
        List<String> missingKeys = new ArrayList<>();
        String firstPrefix = sources.isEmpty() ? "" : sources.get(0).prefix;
        for (String m : missing) {
            missingKeys.add(firstPrefix + m);
        }
        StringBuilder msg = new StringBuilder();
        msg.append(what).append(": the weights in ").append(describe()).append(" do not match the model: ")
                .append(missingKeys.size()).append(" missing, ").append(unexpected.size()).append(" unexpected, ")
                .append(mismatched.size()).append(" with a wrong shape");
        list(msg, "missing", missingKeys);
        list(msg, "unexpected", unexpected);
        list(msg, "wrong shape", mismatched);
        throw new WeightBindingException(msg.toString(), files, missingKeys, unexpected, mismatched);
    }

    private String describe() {
        StringBuilder b = new StringBuilder();
        for (Source s : sources) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(s.dict.source());
            if (!s.prefix.isEmpty()) {
                b.append(" (keys '").append(s.prefix).append("*')");
            }
        }
        return b.toString();
    }

    private static void list(StringBuilder msg, String label, List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        msg.append("\n  ").append(label).append(" (").append(keys.size()).append("):");
        int n = Math.min(LISTED, keys.size());
        for (String k : keys.subList(0, n)) {
            msg.append("\n    ").append(k);
        }
        if (keys.size() > n) {
            msg.append("\n    ... and ").append(keys.size() - n).append(" more");
        }
    }

    private static final class Source {
        final StateDict dict;
        final String prefix;

        Source(StateDict dict, String prefix) {
            this.dict = dict;
            this.prefix = prefix;
        }
    }

    private static final class Found {
        final Source source;
        final TensorRecord record;

        Found(Source source, TensorRecord record) {
            this.source = source;
            this.record = record;
        }
    }

    /** Reads one tensor from its file onto a manager, converted to the binding's element type. */
    @FunctionalInterface
    public interface TensorReader {
        /**
         * @param manager owner of the new array (its device is where the array goes)
         * @return the tensor
         * @throws IOException if the file cannot be read
         */
        NDArray read(NDManager manager) throws IOException;
    }

    /**
     * Where a binding gets a tensor that passed the key and shape checks. The default reads it
     * from the file onto the binding's manager; a weight store (io.vidrd.runtime.weights) instead
     * returns an alias of a tensor it already holds, so engine versions share one copy.
     */
    @FunctionalInterface
    public interface TensorLoader {
        /** Reads every tensor from its file: the binding's behaviour without a store. */
        TensorLoader DIRECT = (source, key, manager, dataType, reader) -> reader.read(manager);

        /**
         * @param source the state dict holding the tensor
         * @param key the tensor's full key in {@code source}
         * @param manager the manager that must own the returned array
         * @param dataType the element type of the returned array
         * @param reader reads the tensor from the file onto any manager
         * @return an array owned by {@code manager}
         * @throws IOException if the file cannot be read
         */
        NDArray load(StateDict source, String key, NDManager manager, DataType dataType, TensorReader reader)
                throws IOException;
    }

    /** Collects the sources and the keys that are not weights. */
    public static final class Builder {
        private final String what;
        private final NDManager manager;
        private final Precision precision;
        private final List<Source> sources = new ArrayList<>();
        private Predicate<String> ignored = k -> false;
        private TensorLoader loader = TensorLoader.DIRECT;
        private boolean fusedKernels;

        private Builder(String what, NDManager manager, Precision precision) {
            this.what = Objects.requireNonNull(what, "what");
            this.manager = Objects.requireNonNull(manager, "manager");
            this.precision = Objects.requireNonNull(precision, "precision");
        }

        /**
         * @param dict a state dict (stays owned by the caller, who closes it after {@link #finish()})
         * @param keyPrefix prefix of this module's keys in the file, e.g. {@code "unet."}, or {@code ""}
         * @return this
         */
        public Builder source(StateDict dict, String keyPrefix) {
            sources.add(new Source(Objects.requireNonNull(dict, "dict"), Objects.requireNonNull(keyPrefix, "keyPrefix")));
            return this;
        }

        /**
         * @param names keys (relative to the source prefix) that may be present but are not weights,
         *     such as constant buffers; they are neither required nor reported as unexpected
         * @return this
         */
        public Builder ignore(String... names) {
            Set<String> set = Set.of(names);
            Predicate<String> previous = ignored;
            ignored = k -> previous.test(k) || set.contains(k);
            return this;
        }

        /**
         * @param tensorLoader where checked tensors come from (default {@link TensorLoader#DIRECT})
         * @return this
         */
        public Builder loader(TensorLoader tensorLoader) {
            this.loader = Objects.requireNonNull(tensorLoader, "tensorLoader");
            return this;
        }

        /**
         * @param use whether blocks built on a GPU manager call PyTorch's fused kernels
         *     ({@link FusedKernels}) where DJL has no equivalent; off by default, and ignored on
         *     the CPU, whose explicit kernels are the ones checked against the golden files.
         *     Blocks fall back to the explicit operations on threads whose grad mode is on
         *     ({@link FusedKernels#inferenceOnThisThread()}: training), and
         *     the system property {@code vidrd.torch.fusedKernels=false} turns the kernels off.
         * @return this
         */
        public Builder fusedKernels(boolean use) {
            this.fusedKernels = use;
            return this;
        }

        /** @return the binding */
        public WeightBinding build() {
            if (sources.isEmpty()) {
                throw new IllegalStateException(what + ": no weight source given");
            }
            return new WeightBinding(this);
        }
    }
}
