/**
 * Generation outside the OSGi container, for the demo model's evaluation and tests: the engine's
 * own model loading, prompt encoding, VidRD sampling loop and latent codec, composed as the
 * engine's job pipeline composes them.
 */
package io.vidrd.demo.generate;
