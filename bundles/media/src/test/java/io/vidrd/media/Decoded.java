package io.vidrd.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/** A video read back with FFmpeg: RGB frames, size, rate and container tags. */
record Decoded(List<byte[]> frames, int width, int height, double fps, Map<String, String> metadata, String codec) {

    static Decoded read(Path file) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setPixelFormat(AV_PIX_FMT_RGB24);
            g.start();
            List<byte[]> frames = new ArrayList<>();
            Frame f;
            while ((f = g.grabImage()) != null) {
                ByteBuffer buf = (ByteBuffer) f.image[0];
                byte[] rgb = new byte[3 * f.imageWidth * f.imageHeight];
                int row = 3 * f.imageWidth;
                for (int y = 0; y < f.imageHeight; y++) {
                    buf.position(y * f.imageStride);
                    buf.get(rgb, y * row, row);
                }
                frames.add(rgb);
            }
            return new Decoded(frames, g.getImageWidth(), g.getImageHeight(), g.getVideoFrameRate(),
                    Map.copyOf(g.getMetadata()), g.getVideoCodecName());
        }
    }
}
