/**
 * Golden-folder parity checks shared by the engine and VAE bundles: reading a golden folder
 * (reference inputs and outputs of the official implementation, in the format of the golden
 * set's README), its per-tensor tolerances, and the comparison by maximum absolute and relative
 * L2 error. {@link io.vidrd.runtime.golden.GoldenVerification} is the contract of the
 * {@code verify-golden} services the launcher calls.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.vidrd.runtime.golden;
