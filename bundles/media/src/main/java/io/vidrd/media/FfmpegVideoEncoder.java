package io.vidrd.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_PAL8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import io.vidrd.api.VideoEncoder;
import io.vidrd.api.VideoFormat;
import io.vidrd.api.VideoWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/**
 * {@link VideoEncoder} on JavaCV's {@link FFmpegFrameRecorder} (MP4, WebM, GIF) and ImageIO (PNG).
 *
 * <p>MP4 is H.264 {@code yuv420p} through OpenH264 at a bitrate scaled to the picture
 * (OpenH264 has no constant-quality mode), constrained baseline profile, with the index at the
 * front ({@code faststart}) so browsers can play while downloading. WebM is VP9
 * {@code yuv420p} at constant quality (CRF). GIF gets a palette per frame (see
 * {@link Pal8Quantizer}) and loops forever. Colours are converted with BT.601 limited-range
 * coefficients, and MP4/WebM are tagged so, so that players convert back the same way.
 *
 * <p>Thread-safe: writers share nothing but the immutable settings.
 */
public final class FfmpegVideoEncoder implements VideoEncoder {

    private final EncoderSettings settings;
    private final VideoCodecs codecs;

    /**
     * Creates the encoder. FFmpeg's natives must be loadable: call
     * {@link FfmpegLibraries#load()} first and pass what it returns.
     *
     * @param settings quality settings
     * @param codecs the encoders this FFmpeg build offers
     */
    public FfmpegVideoEncoder(EncoderSettings settings, VideoCodecs codecs) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.codecs = Objects.requireNonNull(codecs, "codecs");
    }

    /**
     * The encoders in use.
     *
     * @return which FFmpeg encoder writes each format
     */
    public VideoCodecs codecs() {
        return codecs;
    }

    @Override
    public VideoWriter open(Path target, VideoFormat format, int width, int height, double fps,
            Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(format, "format");
        checkSize(format, width, height);
        if (!(fps > 0) || !Double.isFinite(fps)) {
            throw new IllegalArgumentException("fps must be finite and > 0, was " + fps);
        }
        Map<String, String> meta = new TreeMap<>(Objects.requireNonNull(metadata, "metadata"));
        Path abs = OutputFiles.checkTarget(target);
        if (format == VideoFormat.PNG) {
            return new PngSequenceWriter(abs, OutputFiles.tempDirFor(abs), width, height, fps, meta);
        }
        String codec = codecs.forFormat(format).orElseThrow(() -> new IOException("this FFmpeg build has no encoder for "
                + format.extension() + " (looked for " + candidates(format) + ")"));
        Path temp = OutputFiles.tempFileFor(abs);
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(temp.toString(), width, height, 0);
        try {
            configure(recorder, format, codec, width, height, fps, meta);
            recorder.start();
        } catch (FFmpegFrameRecorder.Exception | RuntimeException e) {
            try {
                recorder.release();
            } catch (FFmpegFrameRecorder.Exception ignored) {
                // the start failure is what matters
            }
            OutputFiles.deleteQuietly(temp);
            throw new IOException("cannot start " + codec + " for " + abs + ": " + e.getMessage(), e);
        }
        return new RecorderVideoWriter(abs, temp, recorder, format, codec, width, height, fps, meta);
    }

    private void configure(FFmpegFrameRecorder r, VideoFormat format, String codec, int width, int height, double fps,
            Map<String, String> meta) {
        r.setFormat(format.extension());
        r.setVideoCodecName(codec);
        r.setFrameRate(fps);
        r.setAudioChannels(0);
        // A key frame every two seconds keeps seeking in long videos quick.
        r.setGopSize((int) Math.max(1, Math.round(2 * fps)));
        switch (format) {
            case MP4 -> {
                r.setPixelFormat(AV_PIX_FMT_YUV420P);
                r.setVideoBitrate(settings.mp4Bitrate(width, height, fps));
                r.setMaxBFrames(0);
                // use_metadata_tags keeps every key (not just iTunes' few); faststart moves the index to the front.
                r.setOption("movflags", "+faststart+use_metadata_tags");
                tagColors(r);
                r.setMetadata(ContainerTags.of(meta));
            }
            case WEBM -> {
                r.setPixelFormat(AV_PIX_FMT_YUV420P);
                r.setVideoBitrate(0); // with a CRF, bitrate 0 selects libvpx's constant-quality mode
                r.setVideoQuality(settings.webmCrf());
                r.setVideoOption("deadline", "good");
                r.setVideoOption("cpu-used", Integer.toString(settings.webmCpuUsed()));
                r.setVideoOption("row-mt", "1");
                tagColors(r);
                r.setMetadata(ContainerTags.of(meta));
            }
            case GIF -> {
                r.setPixelFormat(AV_PIX_FMT_PAL8);
                r.setOption("loop", "0"); // loop forever
            }
            case PNG -> throw new IllegalStateException("PNG is not written through FFmpeg");
        }
    }

    /** swscale converts RGB with BT.601 limited-range coefficients by default; say so in the stream. */
    private static void tagColors(FFmpegFrameRecorder r) {
        r.setVideoOption("colorspace", "smpte170m");
        r.setVideoOption("color_primaries", "smpte170m");
        r.setVideoOption("color_trc", "smpte170m");
        r.setVideoOption("color_range", "tv");
    }

    /**
     * JavaCV widens odd widths by scaling and {@code yuv420p} halves both dimensions, so the
     * FFmpeg formats need even sizes; rejecting them is clearer than a silently resized video.
     */
    private static void checkSize(VideoFormat format, int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("frame size must be positive, was " + width + "x" + height);
        }
        boolean oddWidth = width % 2 != 0;
        boolean oddHeight = height % 2 != 0;
        if ((format == VideoFormat.MP4 || format == VideoFormat.WEBM) && (oddWidth || oddHeight)) {
            throw new IllegalArgumentException(format.extension() + " (yuv420p) needs an even width and height, was "
                    + width + "x" + height);
        }
        if (format == VideoFormat.GIF && oddWidth) {
            throw new IllegalArgumentException("gif needs an even width, was " + width + "x" + height);
        }
    }

    private static Object candidates(VideoFormat format) {
        return switch (format) {
            case MP4 -> VideoCodecs.MP4_CANDIDATES;
            case WEBM -> VideoCodecs.WEBM_CANDIDATES;
            default -> VideoCodecs.GIF_CANDIDATES;
        };
    }
}
