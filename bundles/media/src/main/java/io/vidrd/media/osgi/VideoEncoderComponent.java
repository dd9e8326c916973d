package io.vidrd.media.osgi;

import io.vidrd.api.VideoEncoder;
import io.vidrd.api.VideoFormat;
import io.vidrd.api.VideoWriter;
import io.vidrd.media.EncoderSettings;
import io.vidrd.media.FfmpegLibraries;
import io.vidrd.media.FfmpegVideoEncoder;
import io.vidrd.media.VideoCodecs;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@link VideoEncoder} service: MP4 (H.264), WebM (VP9), GIF and PNG frames through this
 * bundle's embedded JavaCV and FFmpeg.
 *
 * <p>Activation extracts and loads FFmpeg's natives (about 60 MB, a second or so the first
 * time) into a cache of this bundle's own (see {@link JavaCppCache}), so a broken native setup
 * keeps the service from registering instead of failing the first video. A configuration
 * change re-creates the component; the natives stay loaded.
 */
@Component(service = VideoEncoder.class, immediate = true, configurationPid = VideoEncoderComponent.PID)
@Designate(ocd = VideoEncoderComponent.Config.class)
public final class VideoEncoderComponent implements VideoEncoder {

    /** Configuration PID. */
    public static final String PID = "io.vidrd.media";

    private static final System.Logger LOG = System.getLogger(VideoEncoderComponent.class.getName());

    /** Encoder quality settings. */
    @ObjectClassDefinition(name = "VidRD video encoder",
            description = "Quality of the videos written by the media bundle (JavaCV/FFmpeg).")
    public @interface Config {
        /**
         * @return MP4 target bits per pixel per frame
         */
        @AttributeDefinition(name = "MP4 bits per pixel",
                description = "H.264 (OpenH264) target bitrate per pixel and frame; OpenH264 has no constant-quality "
                        + "mode, so the bitrate is width x height x fps x this, but at least the minimum below.")
        double mp4_bits_per_pixel() default 0.5;

        /**
         * @return lowest MP4 bitrate in kbit/s
         */
        @AttributeDefinition(name = "MP4 minimum bitrate (kbit/s)",
                description = "Small videos need more bits per pixel than large ones.")
        int mp4_min_kbps() default 256;

        /**
         * @return VP9 constant quality
         */
        @AttributeDefinition(name = "WebM CRF", description = "VP9 constant quality, 0 (best) to 63; 30 is good.")
        int webm_crf() default 30;

        /**
         * @return VP9 speed
         */
        @AttributeDefinition(name = "WebM speed", description = "libvpx cpu-used, 0 (slowest, best) to 8 (fastest).")
        int webm_cpu_used() default 4;
    }

    private final FfmpegVideoEncoder encoder;

    /**
     * Loads FFmpeg and creates the encoder.
     *
     * @param context this bundle's context, for the native cache in its data area
     * @param config the configuration
     * @throws IOException if the native cache cannot be set up
     */
    @Activate
    public VideoEncoderComponent(BundleContext context, Config config) throws IOException {
        EncoderSettings settings = new EncoderSettings(config.mp4_bits_per_pixel(), config.mp4_min_kbps(),
                config.webm_crf(), config.webm_cpu_used());
        Path cache = JavaCppCache.use(cacheBase(context));
        VideoCodecs codecs = FfmpegLibraries.load();
        LOG.log(Level.INFO, "FFmpeg loaded from {0}; encoders: mp4={1}, webm={2}, gif={3}", cache,
                codecs.mp4().orElse("none"), codecs.webm().orElse("none"), codecs.gif().orElse("none"));
        if (codecs.mp4().filter("libopenh264"::equals).isEmpty()) {
            LOG.log(Level.WARNING, "this FFmpeg build has no OpenH264; mp4 uses {0}",
                    codecs.mp4().orElse("nothing (mp4 cannot be written)"));
        }
        this.encoder = new FfmpegVideoEncoder(settings, codecs);
    }

    private static Path cacheBase(BundleContext context) throws IOException {
        File data = context.getDataFile("javacpp");
        if (data != null) {
            return data.toPath();
        }
        // a framework without file system support: a private temporary directory instead
        return Files.createTempDirectory("vidrd-media-");
    }

    @Override
    public VideoWriter open(Path target, VideoFormat format, int width, int height, double fps,
            Map<String, String> metadata) throws IOException {
        return encoder.open(target, format, width, height, fps, metadata);
    }
}
