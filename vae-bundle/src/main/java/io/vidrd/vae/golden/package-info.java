/**
 * Parity checks of the VAE codecs against a golden folder, with the runtime's golden reading and
 * comparison ({@link io.vidrd.runtime.golden}). Backs the VAE part of {@code vidrd verify-golden}
 * and the bundle's parity tests alike. Private to the bundle.
 */
package io.vidrd.vae.golden;
