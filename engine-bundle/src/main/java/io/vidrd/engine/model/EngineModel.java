package io.vidrd.engine.model;

import ai.djl.ndarray.NDManager;
import io.vidrd.engine.schedule.DdimSchedule;
import io.vidrd.engine.tokenizer.ClipTokenizer;
import io.vidrd.engine.unet.UNetConfig;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.weights.WeightStore;
import java.io.IOException;

/**
 * Everything the engine needs from a model directory, loaded once: tokenizer, text encoder and
 * U-Net weights, and the DDIM schedule. Closing it frees the weights and gives its weight-store
 * lease back.
 *
 * @param directory where it was loaded from
 * @param tokenizer the CLIP tokenizer
 * @param models text encoder and U-Net with their weights
 * @param schedule the inference scheduler
 * @param lease the weight-store lease the weights came through, or null if they were read directly
 */
public record EngineModel(ModelDirectory directory, ClipTokenizer tokenizer, VidrdModels models, DdimSchedule schedule,
        WeightStore.Lease lease) implements AutoCloseable {

    /**
     * Loads in the official order (VIDRD.md §1.3): configurations and tokenizer first, then the
     * weights, checked key by key.
     *
     * @param directory the model files
     * @param manager where the weights go (a sub-manager owned by the result)
     * @param precision weight precision
     * @return the loaded model
     * @throws IOException if a file is missing, unreadable or unsupported
     */
    public static EngineModel load(ModelDirectory directory, NDManager manager, Precision precision) throws IOException {
        return load(directory, manager, precision, null);
    }

    /**
     * Loads like {@link #load(ModelDirectory, NDManager, Precision)}, taking tensors from a weight
     * store: what another model already loaded from the same files is not read again.
     *
     * @param directory the model files
     * @param manager where the weights go (a sub-manager owned by the result)
     * @param precision weight precision
     * @param store the weight store, or null to read every tensor from disk
     * @return the loaded model
     * @throws IOException if a file is missing, unreadable or unsupported
     */
    public static EngineModel load(ModelDirectory directory, NDManager manager, Precision precision, WeightStore store)
            throws IOException {
        ClipTokenizer tokenizer = ClipTokenizer.load(directory.tokenizer());
        DdimSchedule schedule = DdimSchedule.load(directory.schedulerConfig());
        WeightStore.Lease lease = store == null ? null : store.lease();
        try {
            VidrdModels models = VidrdModelLoader.load(directory, UNetConfig.TemporalFlags.official(), manager, precision,
                    lease == null ? io.vidrd.runtime.nn.WeightBinding.TensorLoader.DIRECT : lease);
            return new EngineModel(directory, tokenizer, models, schedule, lease);
        } catch (IOException | RuntimeException e) {
            if (lease != null) {
                lease.close();
            }
            throw e;
        }
    }

    /** @return a short identifier: the model directory's name */
    public String id() {
        return directory.root().getFileName() == null ? directory.root().toString() : directory.root().getFileName().toString();
    }

    @Override
    public void close() {
        models.close();
        if (lease != null) {
            lease.close();
        }
    }
}
