/**
 * The process-wide weight store: tensors read from a checkpoint once and shared by every model
 * that binds them (engine versions replacing one another, a reconfigured engine), released when
 * the last one lets go. Lives in the runtime bundle because that bundle is never replaced while
 * the container runs; swappable bundles must not own shared native memory.
 *
 * <p>{@link io.vidrd.runtime.weights.NativeMemory} reports live arrays, resident memory and
 * threads, for tests and diagnostics that check memory returns to its baseline.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.vidrd.runtime.weights;
