/**
 * Access to DJL's PyTorch engine (natives loaded once per JVM, by this bundle), the device and
 * precision policy, and the seeded noise source shared by engine and VAE.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.vidrd.runtime;
