/** Public API of VidRD for OSGi: ask a {@link io.vidrd.api.VideoGenerator} service for a video. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.vidrd.api;
