package io.vidrd.vae.codec;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.vidrd.runtime.codec.LatentDistribution;
import io.vidrd.vae.model.AutoencoderKl;

/**
 * One slice of frames through the encoder and {@code quant_conv}, in the weights' precision. Pixels
 * reach the codec in fp32 (the API takes any float type); a convolution needs its input in the
 * weights' dtype ("Input type (float) and bias type (c10::Half) should be the same" otherwise), so
 * the slice is cast once, on the codec's device, and the moments are handed back in fp32 as
 * {@link io.vidrd.runtime.codec.LatentCodec#encode} promises.
 */
final class SliceEncoder {

    private final AutoencoderKl model;
    private final DataType dtype;

    /**
     * @param model the loaded VAE
     * @param dtype the weights' data type
     */
    SliceEncoder(AutoencoderKl model, DataType dtype) {
        this.model = model;
        this.dtype = dtype;
    }

    /**
     * @param pixels {@code [n, 3, H, W]} in [-1, 1], any float type, on the weights' device; its
     *     manager is the slice's scope and receives every temporary and the results
     * @param out the device of the results
     * @return {mean, log-variance clamped to [-30, 20]}, {@code [n, C, H/s, W/s]} fp32 on {@code out}
     */
    NDArray[] meanAndLogvar(NDArray pixels, Device out) {
        NDArray x = pixels.toType(dtype, false);
        NDArray moments = model.encodeMoments(x);
        int latent = model.config().latentChannels();
        NDArray mean = VaeLatentCodec.fp32(moments.get(new NDIndex(":, 0:{}", latent)), out);
        NDArray logvar = VaeLatentCodec.fp32(moments.get(new NDIndex(":, {}:{}", latent, 2 * latent)), out)
                .clip(LatentDistribution.LOGVAR_MIN, LatentDistribution.LOGVAR_MAX);
        return new NDArray[] {mean, logvar};
    }
}
