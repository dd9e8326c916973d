package io.vidrd.runtime;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the PyTorch runtime of this process is: registered as a service by the runtime bundle,
 * with the same facts as service properties so tools (the launcher's {@code vidrd info}) can read
 * them without loading any project class.
 */
@ProviderType
public interface RuntimeStatus {

    /** Service property: {@code true} when the engine loaded. */
    String PROP_AVAILABLE = "vidrd.runtime.available";
    /** Service property: DJL engine name. */
    String PROP_ENGINE = "vidrd.runtime.engine";
    /** Service property: engine (libtorch) version as DJL reports it. */
    String PROP_ENGINE_VERSION = "vidrd.runtime.engine.version";
    /** Service property: DJL version. */
    String PROP_DJL_VERSION = "vidrd.runtime.djl.version";
    /** Service property: comma-separated devices, e.g. {@code cpu} or {@code cpu,gpu:0}. */
    String PROP_DEVICES = "vidrd.runtime.devices";
    /** Service property: why the engine did not load (absent when it did). */
    String PROP_ERROR = "vidrd.runtime.error";

    /** @return whether the engine and its natives loaded */
    boolean available();

    /** @return DJL's engine name */
    String engineName();

    /** @return the engine's version */
    String engineVersion();

    /** @return DJL's version */
    String djlVersion();

    /** @return devices usable by jobs ({@code cpu}, {@code gpu:0}, ...) */
    List<String> devices();

    /** @return why the engine is unavailable, if it is */
    Optional<String> error();
}
