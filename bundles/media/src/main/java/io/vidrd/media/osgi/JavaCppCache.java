package io.vidrd.media.osgi;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.Loader;

/**
 * Points JavaCPP's native-library cache at a directory of this bundle's own.
 *
 * <p>JavaCPP extracts natives from the class path into a cache directory and loads them from
 * there. By default that is {@code ~/.javacpp/cache}, shared by every JavaCPP copy in every
 * JVM of the user, and a JNI library can belong to only one class loader: another bundle, or
 * this bundle after an update or refresh (a new class loader), extracting over or loading the
 * same files has failed elsewhere. So each class loader of this bundle gets a fresh directory
 * under the bundle's data area, and older ones are deleted (unlinking a loaded library is
 * harmless on Linux, where these natives run).
 *
 * <p>The setting is JavaCPP's {@code Loader.cacheDir}, set by reflection because the only
 * public way, the system property {@code org.bytedeco.javacpp.cachedir}, is global to the JVM.
 * The {@link Loader} class set here is this bundle's embedded copy, so the change reaches
 * nobody else.
 */
final class JavaCppCache {

    private static final String PREFIX = "javacpp-";

    private JavaCppCache() {
    }

    /**
     * Sets the cache directory unless this class loader's JavaCPP already has one.
     *
     * @param base a directory owned by this bundle, e.g. its data area
     * @return the cache directory in use
     * @throws IOException if the directory cannot be created or JavaCPP's field is not there
     */
    static Path use(Path base) throws IOException {
        synchronized (Loader.class) {
            Field field;
            try {
                field = Loader.class.getDeclaredField("cacheDir");
                field.setAccessible(true);
                File current = (File) field.get(null);
                if (current != null) {
                    return current.toPath(); // set by an earlier activation of this same class loader
                }
                Files.createDirectories(base);
                deleteOld(base);
                Path dir = Files.createTempDirectory(base, PREFIX);
                field.set(null, dir.toFile().getCanonicalFile());
                return dir;
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IOException("cannot set JavaCPP's cache directory (Loader.cacheDir): " + e, e);
            }
        }
    }

    /** Deletes caches of earlier class loaders and runs; a directory still in use elsewhere survives on failure. */
    private static void deleteOld(Path base) {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(base, PREFIX + "*")) {
            for (Path p : old) {
                deleteTree(p);
            }
        } catch (IOException e) {
            // stale caches only waste disk space
        }
    }

    private static void deleteTree(Path p) {
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort, see deleteOld
        }
    }
}
