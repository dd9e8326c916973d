package io.vidrd.media;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacpp.Loader;

/**
 * Loads FFmpeg's natives through JavaCPP and asks which encoders exist.
 *
 * <p>Loading happens in the caller's thread and through this class's class loader, so inside
 * OSGi the natives come from this bundle. Call it once before encoding, so that a broken
 * native setup shows when the service starts rather than at the first video.
 */
public final class FfmpegLibraries {

    private FfmpegLibraries() {
    }

    /**
     * Loads avutil, avcodec, avformat and swscale, and quiets FFmpeg's log to errors (OpenH264
     * and libvpx are chatty at the default level, and the log is process-wide).
     *
     * @return the encoders this build offers for each format
     * @throws UnsatisfiedLinkError if the natives cannot be loaded
     */
    public static VideoCodecs load() {
        Loader.load(avutil.class);
        Loader.load(avcodec.class);
        Loader.load(avformat.class);
        Loader.load(swscale.class);
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        return VideoCodecs.choose(name -> avcodec_find_encoder_by_name(name) != null);
    }
}
