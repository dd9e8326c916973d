/**
 * Access to DJL's PyTorch engine (natives loaded once per JVM, by this bundle), the device and
 * precision policy, and the seeded noise source shared by engine and VAE. 1.1.0 added
 * {@link io.vidrd.runtime.DeviceMemory} (out-of-memory failures, giving cached device memory back).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.vidrd.runtime;
