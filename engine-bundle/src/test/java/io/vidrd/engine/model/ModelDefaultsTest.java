package io.vidrd.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDefaultsTest {

    @TempDir
    Path root;

    @Test
    void readsTheSizeAndIsAbsentWithoutTheFile() throws Exception {
        assertEquals(Optional.empty(), ModelDefaults.read(root), "the official layout has no such file");
        Files.writeString(root.resolve(ModelDefaults.FILE), "# trained at 32x32\nsize = 32x48\n");
        assertEquals(Optional.of(new ModelDefaults(32, 48)), ModelDefaults.read(root));
        Files.writeString(root.resolve(ModelDefaults.FILE), "other=1\n");
        assertEquals(Optional.empty(), ModelDefaults.read(root));
    }

    @Test
    void aMalformedSizeNamesTheFileAndWhatIsAllowed() throws Exception {
        for (String bad : new String[] {"32", "30x32", "axb", "0x0", "32x32x8"}) {
            Files.writeString(root.resolve(ModelDefaults.FILE), "size=" + bad + "\n");
            ModelLayoutException e = assertThrows(ModelLayoutException.class, () -> ModelDefaults.read(root), bad);
            assertTrue(e.getMessage().contains(ModelDefaults.FILE) && e.getMessage().contains("multiples of 8")
                    && e.getMessage().contains(bad), e.getMessage());
        }
    }
}
