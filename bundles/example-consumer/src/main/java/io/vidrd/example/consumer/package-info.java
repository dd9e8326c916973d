/**
 * An example host bundle: {@link io.vidrd.example.consumer.ExampleConsumer} shows the intended
 * way to call VidRD from another bundle, and survives engines being replaced underneath it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.vidrd.example.consumer;
