/**
 * Safe readers for model checkpoints: PyTorch zip files (restricted unpickling) and safetensors;
 * and {@link io.vidrd.runtime.checkpoint.SafetensorsWriter}, which writes safetensors files.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.vidrd.runtime.checkpoint;
