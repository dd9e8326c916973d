package io.vidrd.runtime.weights;

import io.vidrd.runtime.nn.WeightBinding;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Shares checkpoint tensors between the models that bind them, so replacing an engine bundle
 * does not read gigabytes again. A tensor is identified by its file (canonical path, size and
 * modification time, so an edited file is read afresh), its key, its element type and its
 * device; it is read from disk the first time any model asks for it.
 *
 * <p>Use: open a {@link Lease} per loaded model, pass it to
 * {@link WeightBinding.Builder#loader} for every binding of that model, and close it when the
 * model is closed. The arrays a lease hands out are aliases of the stored tensors (same native
 * storage) owned by the model's own manager, so a model frees its arrays the usual way; the
 * stored tensors of a file are released once no open lease uses that file any more (after a
 * short delay, so a bundle update that stops the old engine before starting the new one does not
 * read them again). Thread-safe. Registered as a service by the runtime bundle.
 */
@ProviderType
public interface WeightStore {

    /**
     * @return a new lease; tensors it loads stay stored at least until it is closed
     */
    Lease lease();

    /** @return how many tensors were read from disk since the store started (a diagnostic) */
    long tensorReads();

    /** @return how many files currently have tensors stored */
    int storedFiles();

    /** @return how many tensors the store currently holds */
    int storedTensors();

    /**
     * Releases now every stored file no lease uses, instead of after the release delay.
     *
     * @return how many files were released
     */
    int releaseUnused();

    /**
     * One model's use of the store: a tensor loader for its weight bindings. Closing it (idempotent)
     * tells the store the model no longer needs the files it loaded from.
     */
    interface Lease extends WeightBinding.TensorLoader, AutoCloseable {
        @Override
        void close();
    }
}
