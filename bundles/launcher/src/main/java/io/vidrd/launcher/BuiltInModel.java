package io.vidrd.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The small model that ships with the distribution ({@code models/demo} under the launcher's
 * home: the embedded demo model trained by the demo module, in the official VidRD layout), used
 * when no model is configured. Its frame size (32×32) reaches requests through the engine, which
 * reads the model folder's {@code vidrd-defaults.properties}.
 */
final class BuiltInModel {

    /** Folder of the built-in model, relative to the launcher's home. */
    static final String FOLDER = "models/demo";

    private BuiltInModel() {}

    /**
     * @param home the launcher's home
     * @return the built-in model folder, if the distribution has one (its checkpoint is there)
     */
    static Optional<Path> in(Path home) {
        Path dir = home.resolve(FOLDER);
        return Files.isRegularFile(dir.resolve("ModelT2V.safetensors")) ? Optional.of(dir) : Optional.empty();
    }
}
