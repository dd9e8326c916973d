package io.vidrd.media;

import io.vidrd.api.Frame;
import io.vidrd.api.VideoFormat;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Writes one lossless PNG per frame, {@code 000000.png}, {@code 000001.png}, ..., into a
 * temporary directory that is renamed to the target when complete. Past 999,999 frames the
 * names grow a digit, so sort them numerically.
 */
final class PngSequenceWriter extends AbstractVideoWriter {

    private final Path tempDir;
    private final BufferedImage image;
    private final byte[] bgr;
    private final byte[] rgb;

    /**
     * @param target absolute final directory path
     * @param tempDir the temporary directory, already created
     * @param width frame width
     * @param height frame height
     * @param fps frames per second, for the sidecar
     * @param metadata for the sidecar
     */
    PngSequenceWriter(Path target, Path tempDir, int width, int height, double fps, Map<String, String> metadata) {
        super(target, VideoFormat.PNG, "png", width, height, fps, metadata);
        this.tempDir = tempDir;
        this.image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        this.bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        this.rgb = new byte[bgr.length];
    }

    /**
     * The file name of a frame.
     *
     * @param index 0-based frame index
     * @return e.g. {@code 000042.png}
     */
    static String fileName(long index) {
        return String.format(Locale.ROOT, "%06d.png", index);
    }

    @Override
    void append(Frame frame, long index) throws IOException {
        frame.copyRgbTo(rgb, 0);
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        Path file = tempDir.resolve(fileName(index));
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in ImageIO; cannot write " + file);
        }
    }

    @Override
    void finish() {
        // every frame is already a complete file
    }

    @Override
    void publish() throws IOException {
        OutputFiles.publishDirectory(tempDir, target());
    }

    @Override
    void discard() {
        OutputFiles.deleteQuietly(tempDir);
    }
}
