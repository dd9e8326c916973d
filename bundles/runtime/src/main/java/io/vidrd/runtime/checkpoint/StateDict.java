package io.vidrd.runtime.checkpoint;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tensors of a checkpoint by key, in file order. Holds the file open for on-demand reads
 * until closed.
 */
public interface StateDict extends Closeable {

    /** @return the file this state dict was read from */
    Path source();

    /** @return all tensors by key, in the order the file lists them (unmodifiable) */
    Map<String, TensorRecord> tensors();

    /** @return the keys, in file order */
    default Set<String> keys() {
        return tensors().keySet();
    }

    /**
     * @param key a state-dict key
     * @return the tensor, if present
     */
    default Optional<TensorRecord> get(String key) {
        return Optional.ofNullable(tensors().get(key));
    }

    /** Releases the file; records must not be read afterwards. Never throws. */
    @Override
    void close();
}
