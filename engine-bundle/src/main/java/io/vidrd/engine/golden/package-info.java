/**
 * Parity checks of the engine against a golden folder (reference inputs and outputs of the
 * official implementation, in the format of the golden set's README): tokenizer, text encoder,
 * U-Net, the sampling loop and its decoded videos, with the per-tensor tolerances the folder
 * prescribes. The folder reading and comparison are the runtime's
 * ({@link io.vidrd.runtime.golden}). Backs {@code vidrd verify-golden} and the engine's parity
 * tests alike.
 */
package io.vidrd.engine.golden;
