package io.vidrd.media;

import io.vidrd.api.Frame;
import io.vidrd.api.VideoFormat;
import io.vidrd.api.VideoWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The life cycle every writer shares: size checks, the open/finished state, and publication
 * of output and sidecar under their final names only after everything was written.
 */
abstract class AbstractVideoWriter implements VideoWriter {

    private final Path target;
    private final VideoFormat format;
    private final String codec;
    private final int width;
    private final int height;
    private final double fps;
    private final Map<String, String> metadata;
    private long frames;
    private boolean finished;

    AbstractVideoWriter(Path target, VideoFormat format, String codec, int width, int height, double fps,
            Map<String, String> metadata) {
        this.target = target;
        this.format = format;
        this.codec = codec;
        this.width = width;
        this.height = height;
        this.fps = fps;
        this.metadata = metadata;
    }

    /**
     * Encodes one frame into the temporary output.
     *
     * @param frame a frame of the right size
     * @param index its 0-based position in the video
     * @throws IOException if encoding fails
     */
    abstract void append(Frame frame, long index) throws IOException;

    /**
     * Completes the temporary output (trailers, indexes) without publishing it.
     *
     * @throws IOException if finishing fails
     */
    abstract void finish() throws IOException;

    /**
     * Moves the completed temporary output to the target.
     *
     * @throws IOException if the rename fails
     */
    abstract void publish() throws IOException;

    /** Releases native resources and deletes the temporary output; never throws. */
    abstract void discard();

    @Override
    public final void write(Frame frame) throws IOException {
        if (finished) {
            throw new IllegalStateException("the writer of " + target + " is already closed or aborted");
        }
        Objects.requireNonNull(frame, "frame");
        if (frame.width() != width || frame.height() != height) {
            throw new IllegalArgumentException("frame " + frames + " is " + frame.width() + "x" + frame.height()
                    + " but " + target.getFileName() + " was opened for " + width + "x" + height);
        }
        append(frame, frames);
        frames++;
    }

    @Override
    public final void close() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        boolean published = false;
        Path sidecar = MetadataSidecar.pathFor(target);
        boolean sidecarWritten = false;
        try {
            if (frames == 0) {
                throw new IOException("no frames were written to " + target + "; nothing to publish");
            }
            finish();
            // The sidecar goes first, so whoever sees the video can already read its metadata.
            new MetadataSidecar(format.extension(), codec, width, height, fps, frames, metadata).write(sidecar);
            sidecarWritten = true;
            publish();
            published = true;
        } finally {
            if (!published) {
                discard();
                if (sidecarWritten) {
                    OutputFiles.deleteQuietly(sidecar);
                }
            }
        }
    }

    @Override
    public final void abort() {
        if (finished) {
            return;
        }
        finished = true;
        discard();
    }

    /**
     * Where the output goes once complete.
     *
     * @return the absolute target path
     */
    final Path target() {
        return target;
    }
}
