package io.vidrd.engine.model;

import ai.djl.ndarray.NDManager;
import io.vidrd.engine.text.ClipTextEncoder;
import io.vidrd.engine.unet.UNet3D;

/**
 * The loaded networks of a VidRD model and the manager that owns their weights. Closing releases
 * the weights.
 *
 * @param textEncoder the CLIP text encoder
 * @param unet the noise predictor
 * @param manager owner of all weights
 */
public record VidrdModels(ClipTextEncoder textEncoder, UNet3D unet, NDManager manager) implements AutoCloseable {

    @Override
    public void close() {
        manager.close();
    }
}
