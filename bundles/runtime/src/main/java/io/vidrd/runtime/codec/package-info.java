/**
 * The latent-codec SPI: turning U-Net latents into pixels and frames into latents. The VAE bundle
 * implements {@link io.vidrd.runtime.codec.LatentCodec} as services (one per
 * {@link io.vidrd.runtime.codec.LatentCodec#PROP_KIND kind}); the engine finds one by service
 * property and never imports VAE classes, so a deployment swaps the decoder without touching the
 * engine. {@link io.vidrd.runtime.codec.LatentCodecFactory} opens codecs for a folder given at run
 * time (tools such as the golden verifier); 1.1.0 added it and
 * {@link io.vidrd.runtime.codec.OwnedLatentCodec}; 1.2.0 added
 * {@link io.vidrd.runtime.codec.CodecClosedException}, what a codec whose service is going away throws.
 *
 * <p>Tensors are DJL {@code NDArray}s. Results are created on the manager of the caller's input
 * (and on its device), so the caller owns and closes them with the rest of its work.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.vidrd.runtime.codec;
