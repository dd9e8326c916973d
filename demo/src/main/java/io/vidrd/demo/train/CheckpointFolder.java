package io.vidrd.demo.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The resumable state of a {@link DemoTraining} run in its output folder: {@code checkpoint/}
 * holds {@code model/} (the whole model in the official layout, loadable as it is),
 * {@code state.json} ({@link TrainingState}) and {@code optimizer.safetensors} (the stage's Adam
 * moments). A new checkpoint is written completely into {@code checkpoint.next/} and then swapped
 * in, so an interrupted write leaves the previous checkpoint intact.
 */
public final class CheckpointFolder {

    /** The optimiser state file inside a checkpoint. */
    public static final String OPTIMIZER = "optimizer.safetensors";
    /** The U-Net stage's weight average inside a checkpoint ({@link WeightAverage}). */
    public static final String AVERAGE = "average.safetensors";
    /** The model folder inside a checkpoint. */
    public static final String MODEL = "model";

    private final Path current;
    private final Path next;
    private final Path old;

    /** @param out the run's output folder */
    public CheckpointFolder(Path out) {
        this.current = out.resolve("checkpoint");
        this.next = out.resolve("checkpoint.next");
        this.old = out.resolve("checkpoint.old");
    }

    /**
     * @return the latest complete checkpoint, if any (also after an interrupted swap)
     * @throws IOException if a half-finished swap cannot be repaired
     */
    public Optional<Path> latest() throws IOException {
        if (!Files.isDirectory(current) && Files.isDirectory(old)) {
            Files.move(old, current);
        }
        return Files.isRegularFile(current.resolve(TrainingState.FILE)) ? Optional.of(current)
                : Optional.empty();
    }

    /** @return the folder a checkpoint is being assembled in (a copy of the latest, or empty) */
    public Path begin() throws IOException {
        delete(next);
        if (Files.isDirectory(current)) {
            copyTree(current, next);
        } else {
            Files.createDirectories(next);
        }
        return next;
    }

    /**
     * Makes the assembled folder the latest checkpoint.
     *
     * @return the new latest checkpoint
     * @throws IOException on a file-system failure
     */
    public Path commit() throws IOException {
        delete(old);
        if (Files.isDirectory(current)) {
            Files.move(current, old);
        }
        Files.move(next, current);
        delete(old);
        return current;
    }

    /** Copies a folder tree (the target must not exist). */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(p -> {
                try {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
