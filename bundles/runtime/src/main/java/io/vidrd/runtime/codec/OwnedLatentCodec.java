package io.vidrd.runtime.codec;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A {@link LatentCodec} that its holder owns, as {@link LatentCodecFactory} returns it: closing it
 * frees the weights (after calls in flight finish; later calls fail). Codec services do not
 * offer this, because their lifetime belongs to the container.
 */
@ProviderType
public interface OwnedLatentCodec extends LatentCodec, AutoCloseable {

    /** Frees the weights. Idempotent. */
    @Override
    void close();
}
