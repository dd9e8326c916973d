package io.vidrd.engine.model;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Request defaults that a model folder may carry for a model trained at another frame size than
 * VidRD's 256×256 (the embedded demo model is 32×32): the file {@value #FILE} with
 * {@code size=WxH}. Requests that do not set a size get this one; the official layout has no such
 * file, so published weights keep the API's defaults.
 *
 * @param width default frame width in pixels
 * @param height default frame height in pixels
 */
public record ModelDefaults(int width, int height) {

    /** The file's name in the model folder. */
    public static final String FILE = "vidrd-defaults.properties";

    /**
     * @param width frame width, a positive multiple of 8
     * @param height frame height, a positive multiple of 8
     */
    public ModelDefaults {
        if (width < 8 || height < 8 || width % 8 != 0 || height % 8 != 0) {
            throw new IllegalArgumentException("size must be positive multiples of 8, got " + width + "x" + height);
        }
    }

    /**
     * @param modelRoot a model folder
     * @return its defaults, if it has the file and the file names a size
     * @throws ModelLayoutException if the file cannot be read or its size is malformed
     */
    public static Optional<ModelDefaults> read(Path modelRoot) throws ModelLayoutException {
        Path file = modelRoot.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ModelLayoutException("cannot read " + file + ": " + e.getMessage());
        }
        String size = p.getProperty("size");
        if (size == null) {
            return Optional.empty();
        }
        String[] wh = size.trim().split("x", -1);
        try {
            if (wh.length == 2) {
                return Optional.of(new ModelDefaults(Integer.parseInt(wh[0].trim()), Integer.parseInt(wh[1].trim())));
            }
        } catch (IllegalArgumentException e) {
            // reported below with the file's name
        }
        throw new ModelLayoutException(file + ": size must be WxH in pixels, multiples of 8 (e.g. 32x32), got '"
                + size.trim() + "'");
    }

    /** @return {@code WxH} */
    @Override
    public String toString() {
        return width + "x" + height;
    }
}
