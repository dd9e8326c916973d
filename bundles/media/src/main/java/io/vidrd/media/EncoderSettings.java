package io.vidrd.media;

/**
 * Quality settings of {@link FfmpegVideoEncoder}.
 *
 * <p>The MP4 bitrate scales with the picture: OpenH264, the H.264 encoder of the LGPL FFmpeg
 * build, ignores CRF and only knows a target bitrate, so a fixed bitrate would starve large
 * videos and waste bytes on small ones.
 *
 * @param mp4BitsPerPixel MP4 target bits per pixel per frame, {@code > 0}
 * @param mp4MinKbps lowest MP4 target bitrate in kbit/s, {@code > 0}; tiny frames need more bits
 *     per pixel than large ones
 * @param webmCrf VP9 constant quality, {@code 0..63}; lower is better and larger
 * @param webmCpuUsed VP9 speed, {@code 0..8}; higher is faster and slightly worse
 */
public record EncoderSettings(double mp4BitsPerPixel, int mp4MinKbps, int webmCrf, int webmCpuUsed) {

    /** Defaults: good quality at the sizes VidRD generates (256x256, 8 fps). */
    public static final EncoderSettings DEFAULTS = new EncoderSettings(0.5, 256, 30, 4);

    /**
     * Validates the ranges.
     *
     * @param mp4BitsPerPixel see the record description
     * @param mp4MinKbps see the record description
     * @param webmCrf see the record description
     * @param webmCpuUsed see the record description
     */
    public EncoderSettings {
        if (!(mp4BitsPerPixel > 0) || !Double.isFinite(mp4BitsPerPixel)) {
            throw new IllegalArgumentException("mp4BitsPerPixel must be finite and > 0, was " + mp4BitsPerPixel);
        }
        if (mp4MinKbps < 1) {
            throw new IllegalArgumentException("mp4MinKbps must be >= 1, was " + mp4MinKbps);
        }
        if (webmCrf < 0 || webmCrf > 63) {
            throw new IllegalArgumentException("webmCrf must be in 0..63, was " + webmCrf);
        }
        if (webmCpuUsed < 0 || webmCpuUsed > 8) {
            throw new IllegalArgumentException("webmCpuUsed must be in 0..8, was " + webmCpuUsed);
        }
    }

    /**
     * MP4 target bitrate for a picture size and frame rate.
     *
     * @param width frame width
     * @param height frame height
     * @param fps frames per second
     * @return bits per second, at least {@code mp4MinKbps * 1000}
     */
    public int mp4Bitrate(int width, int height, double fps) {
        double scaled = mp4BitsPerPixel * width * height * fps;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(mp4MinKbps * 1000.0, scaled));
    }
}
