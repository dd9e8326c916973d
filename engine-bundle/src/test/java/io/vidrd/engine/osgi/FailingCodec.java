package io.vidrd.engine.osgi;

import ai.djl.ndarray.NDArray;
import io.vidrd.runtime.codec.DecodeOptions;
import io.vidrd.runtime.codec.LatentCodec;
import io.vidrd.runtime.codec.LatentDistribution;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A codec that runs {@code beforeDecode} on the latents (which may throw) and then decodes with {@code real}. */
final class FailingCodec implements LatentCodec {

    private final LatentCodec real;
    private final UnaryOperator<NDArray> beforeDecode;

    FailingCodec(LatentCodec real, UnaryOperator<NDArray> beforeDecode) {
        this.real = real;
        this.beforeDecode = beforeDecode;
    }

    @Override public String kind() { return real.kind(); }
    @Override public String description() { return real.description(); }
    @Override public Map<String, String> metadata() { return real.metadata(); }
    @Override public int scaleFactor() { return real.scaleFactor(); }
    @Override public int latentChannels() { return real.latentChannels(); }
    @Override public float scalingFactor() { return real.scalingFactor(); }

    @Override
    public NDArray decode(NDArray latents, DecodeOptions options) {
        return real.decode(beforeDecode.apply(latents), options);
    }

    @Override
    public NDArray decodeFrames(NDArray z, DecodeOptions options) {
        return real.decodeFrames(z, options);
    }

    @Override
    public LatentDistribution encode(NDArray frames) {
        return real.encode(frames);
    }
}
