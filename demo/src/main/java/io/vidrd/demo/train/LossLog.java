package io.vidrd.demo.train;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The loss curve of a training run, one CSV row per optimiser step
 * ({@code stage,step,loss,mse,kl,seconds}; the VAE stages fill mse and kl, the U-Net stage leaves
 * them empty), appended across resumed calls. Rows after the last checkpoint of an interrupted
 * call reappear when the next call repeats those steps.
 */
final class LossLog implements AutoCloseable {

    private static final String HEADER = "stage,step,loss,mse,kl,seconds\n";

    private final Writer out;

    /**
     * @param file the CSV file (created with a header if missing)
     * @throws IOException if it cannot be opened
     */
    LossLog(Path file) throws IOException {
        boolean fresh = !Files.exists(file);
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (fresh) {
            out.write(HEADER);
        }
    }

    /**
     * @param stage the stage
     * @param step the step number in the stage
     * @param losses total loss, then optional parts
     * @param seconds training time so far
     * @throws IOException on write failure
     */
    void add(TrainingState.Stage stage, int step, float[] losses, double seconds) throws IOException {
        StringBuilder b = new StringBuilder().append(stage.name().toLowerCase(Locale.ROOT)).append(',').append(step);
        for (int i = 0; i < 3; i++) {
            b.append(',');
            if (i < losses.length) {
                b.append(losses[i]);
            }
        }
        out.write(b.append(',').append(String.format(Locale.ROOT, "%.2f", seconds)).append('\n').toString());
    }

    /** @throws IOException on write failure */
    void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
