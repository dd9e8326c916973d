package io.vidrd.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the golden folder is: system property {@code vidrd.golden.dir}, else beside the checkout. */
final class Golden {
    private Golden() {}

    static Path dir() {
        String prop = System.getProperty("vidrd.golden.dir");
        Path dir = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("../../../shared/golden");
        dir = dir.toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(dir), "golden folder not found: " + dir
                + " (set -Dvidrd.golden.dir)");
        return dir;
    }

    static Path file(String relative) {
        Path f = dir().resolve(relative);
        assertTrue(Files.isRegularFile(f), "golden file missing: " + f);
        return f;
    }
}
