package io.vidrd.media;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Temporary names next to a target and atomic publication.
 *
 * <p>Temporaries live in the target's directory because a rename is only atomic within one
 * file system. Their names start with a dot and end in {@value #TEMP_SUFFIX}, so directory
 * listings and clean-up scripts can tell them from finished output.
 */
final class OutputFiles {

    /** Suffix of every temporary this bundle creates. */
    static final String TEMP_SUFFIX = ".vidrd-part";

    private OutputFiles() {
    }

    /**
     * Checks that the target's directory exists; the API promises no directory creation.
     *
     * @param target the final path
     * @return the absolute, normalized target
     * @throws IOException if the parent is missing or not a directory
     */
    static Path checkTarget(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null || abs.getFileName() == null) {
            throw new IOException("not a valid output path: " + target);
        }
        if (!Files.exists(parent)) {
            throw new NoSuchFileException(parent.toString(), null, "the output directory does not exist");
        }
        if (!Files.isDirectory(parent)) {
            throw new NotDirectoryException(parent + " (the output's parent is not a directory)");
        }
        return abs;
    }

    /**
     * Creates an empty temporary file next to the target, which also proves the directory is writable.
     *
     * @param target absolute final path
     * @return the new file
     * @throws IOException if the directory is not writable
     */
    static Path tempFileFor(Path target) throws IOException {
        // Not createTempFile: that makes the file owner-only (0600), and the rename would hand
        // the user a video nobody else can read. createFile follows the umask like any program.
        for (int attempt = 0; ; attempt++) {
            try {
                return Files.createFile(sibling(target, TEMP_SUFFIX));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 8) {
                    throw e;
                }
            }
        }
    }

    private static Path sibling(Path target, String suffix) {
        return target.getParent().resolve("." + target.getFileName() + "." + Long.toUnsignedString(
                java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + suffix);
    }

    /**
     * Creates an empty temporary directory next to the target.
     *
     * @param target absolute final path
     * @return the new directory
     * @throws IOException if the directory is not writable
     */
    static Path tempDirFor(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return Files.createDirectory(sibling(target, ""));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 8) {
                    throw e;
                }
            }
        }
    }

    /**
     * Renames a finished file over the target in one step, so readers see the old file or the
     * new one, never a mixture.
     *
     * @param temp the finished temporary
     * @param target where it goes; an existing file there is replaced
     * @throws IOException if the rename fails
     */
    static void publishFile(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + temp + " to " + target + " atomically", e);
        }
    }

    /**
     * Renames a finished directory to the target. A rename cannot replace a non-empty
     * directory, so an existing target is first renamed aside and deleted afterwards: the
     * target name then refers to a complete directory at every moment except the short gap
     * between the two renames.
     *
     * @param tempDir the finished directory
     * @param target where it goes
     * @throws IOException if a rename fails; the previous target is then put back
     */
    static void publishDirectory(Path tempDir, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            old = tempFileFor(target);
            Files.delete(old); // only the unique name is wanted
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(tempDir, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (old != null) {
                Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
            }
            throw e;
        }
        if (old != null) {
            deleteQuietly(old);
        }
    }

    /**
     * Deletes a file or a directory tree, ignoring failures: used where a failure is already
     * being reported and must not be masked.
     *
     * @param path what to delete; may be missing
     */
    static void deleteQuietly(Path path) {
        try {
            deleteRecursively(path);
        } catch (IOException e) {
            // best effort: the caller is already handling the original problem
        }
    }

    /**
     * Deletes a file or a directory tree.
     *
     * @param path what to delete; may be missing
     * @throws IOException if something could not be deleted
     */
    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
