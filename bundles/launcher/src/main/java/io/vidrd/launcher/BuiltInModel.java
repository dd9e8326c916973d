package io.vidrd.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The small model that ships with the distribution ({@code models/demo} under the launcher's
 * home: the embedded demo model trained by the demo module, in the official VidRD layout), used
 * when no model is configured, and the request defaults a model folder may carry.
 */
final class BuiltInModel {

    /** Folder of the built-in model, relative to the launcher's home. */
    static final String FOLDER = "models/demo";
    /**
     * Optional file in a model folder with request defaults for models trained at another size
     * than VidRD's 256×256 (key {@code size}, e.g. {@code 32x32}).
     */
    static final String DEFAULTS_FILE = "vidrd-defaults.properties";

    private BuiltInModel() {}

    /**
     * @param home the launcher's home
     * @return the built-in model folder, if the distribution has one (its checkpoint is there)
     */
    static Optional<Path> in(Path home) {
        Path dir = home.resolve(FOLDER);
        return Files.isRegularFile(dir.resolve("ModelT2V.safetensors")) ? Optional.of(dir) : Optional.empty();
    }

    /**
     * @param modelDir a model folder
     * @return its default frame size ({@code size=WxH} in {@link #DEFAULTS_FILE}), if it names one
     * @throws UsageException if the file cannot be read or its size is malformed
     */
    static Optional<String> defaultSize(Path modelDir) throws UsageException {
        Path file = modelDir.resolve(DEFAULTS_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        }
        return Optional.ofNullable(p.getProperty("size")).map(String::trim);
    }
}
