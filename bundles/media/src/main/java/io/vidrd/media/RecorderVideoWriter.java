package io.vidrd.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_PAL8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import io.vidrd.api.Frame;
import io.vidrd.api.VideoFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/**
 * Writes MP4, WebM or GIF through one {@link FFmpegFrameRecorder} into a temporary file,
 * one frame at a time: only the current frame is held in memory.
 */
final class RecorderVideoWriter extends AbstractVideoWriter {

    private final Path temp;
    private final FFmpegFrameRecorder recorder;
    private final int width;
    private final int height;
    private final byte[] rgb;
    private final ByteBuffer pixels;
    private final Pal8Quantizer quantizer;

    /**
     * @param target absolute final path
     * @param temp the temporary file the recorder writes, already created
     * @param recorder a configured, started recorder writing {@code temp}
     * @param format the format
     * @param codec the encoder name, for the sidecar
     * @param width frame width
     * @param height frame height
     * @param fps frames per second
     * @param metadata for the sidecar
     */
    RecorderVideoWriter(Path target, Path temp, FFmpegFrameRecorder recorder, VideoFormat format, String codec,
            int width, int height, double fps, Map<String, String> metadata) {
        super(target, format, codec, width, height, fps, metadata);
        this.temp = temp;
        this.recorder = recorder;
        this.width = width;
        this.height = height;
        this.rgb = new byte[3 * width * height];
        // GIF gets frames already reduced to a palette; the others get RGB, which swscale turns into yuv420p.
        this.quantizer = format == VideoFormat.GIF ? new Pal8Quantizer(width, height) : null;
        // Direct, because JavaCPP hands the address to FFmpeg without another copy.
        this.pixels = ByteBuffer.allocateDirect(quantizer != null ? quantizer.bufferSize() : rgb.length);
    }

    @Override
    void append(Frame frame, long index) throws IOException {
        frame.copyRgbTo(rgb, 0);
        try {
            if (quantizer != null) {
                quantizer.quantize(rgb, pixels);
                recorder.recordImage(width, height, org.bytedeco.javacv.Frame.DEPTH_UBYTE, 1, width,
                        AV_PIX_FMT_PAL8, pixels);
            } else {
                pixels.clear();
                pixels.put(rgb).flip();
                recorder.recordImage(width, height, org.bytedeco.javacv.Frame.DEPTH_UBYTE, 3, 3 * width,
                        AV_PIX_FMT_RGB24, pixels);
            }
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new IOException("encoding frame " + index + " of " + target() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    void finish() throws IOException {
        try {
            recorder.stop(); // flushes delayed frames, writes the trailer, releases
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new IOException("finishing " + target() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    void publish() throws IOException {
        OutputFiles.publishFile(temp, target());
    }

    @Override
    void discard() {
        try {
            recorder.release();
        } catch (FFmpegFrameRecorder.Exception | RuntimeException e) {
            // the partial file is deleted below either way
        }
        OutputFiles.deleteQuietly(temp);
    }
}
