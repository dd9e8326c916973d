package io.vidrd.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Writes videos to files. Thread-safe: each {@link VideoWriter} is independent.
 *
 * <p>For {@link VideoFormat#MP4}, {@link VideoFormat#WEBM} and {@link VideoFormat#GIF} the
 * target is a file. For {@link VideoFormat#PNG} the target is a directory that receives one
 * file per frame, {@code 000000.png}, {@code 000001.png}, ...; like a file, the directory
 * appears under its name only when complete.
 */
@ProviderType
public interface VideoEncoder {

    /**
     * Starts a video file.
     *
     * @param target where the finished output goes; its parent directory must exist; an
     *     existing file there is replaced when the writer is closed
     * @param format the output format
     * @param width frame width in pixels
     * @param height frame height in pixels
     * @param fps frames per second, finite and positive
     * @param metadata stored in the container where the format allows (see {@link VideoMetadata})
     * @return a writer for the frames
     * @throws IOException if the output cannot be created or the format is not supported
     *     by this encoder
     */
    VideoWriter open(Path target, VideoFormat format, int width, int height, double fps,
            Map<String, String> metadata) throws IOException;

    /**
     * Writes a whole video: opens, writes every frame, closes; on any failure aborts, so no
     * partial file is left behind.
     *
     * @param video the video
     * @param target where the output goes
     * @param format the output format
     * @throws IOException if writing fails
     */
    default void encode(Video video, Path target, VideoFormat format) throws IOException {
        VideoWriter writer = open(target, format, video.width(), video.height(), video.fps(), video.metadata());
        boolean closed = false;
        try {
            for (Frame frame : video.frames()) {
                writer.write(frame);
            }
            writer.close();
            closed = true;
        } finally {
            if (!closed) {
                writer.abort();
            }
        }
    }
}
