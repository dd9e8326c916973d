package io.vidrd.media;

import io.vidrd.api.VideoFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which FFmpeg encoder writes each format, chosen once from the encoders the FFmpeg build
 * actually has.
 *
 * <p>MP4 prefers H.264 through OpenH264 (the only H.264 encoder in the LGPL build; x264 would
 * make the distribution GPL). Without it, MP4 falls back to AV1, which browsers also play
 * from MP4; MPEG-4 Part 2 is never used because browsers refuse it.
 *
 * @param mp4 encoder name for MP4, empty if the build has none that browsers play
 * @param webm encoder name for WebM (VP9), empty if missing
 * @param gif encoder name for GIF, empty if missing
 */
public record VideoCodecs(Optional<String> mp4, Optional<String> webm, Optional<String> gif) {

    /** MP4 encoders in order of preference. */
    static final List<String> MP4_CANDIDATES = List.of("libopenh264", "libsvtav1", "libaom-av1");
    /** WebM encoders in order of preference. */
    static final List<String> WEBM_CANDIDATES = List.of("libvpx-vp9");
    /** GIF encoders. */
    static final List<String> GIF_CANDIDATES = List.of("gif");

    /**
     * Picks the encoders.
     *
     * @param available whether FFmpeg has an encoder of the given name
     * @return the choice
     */
    public static VideoCodecs choose(Predicate<String> available) {
        return new VideoCodecs(first(MP4_CANDIDATES, available), first(WEBM_CANDIDATES, available),
                first(GIF_CANDIDATES, available));
    }

    /**
     * The encoder for a format written through FFmpeg.
     *
     * @param format {@code MP4}, {@code WEBM} or {@code GIF}
     * @return the encoder name, empty if this FFmpeg build cannot write the format
     */
    public Optional<String> forFormat(VideoFormat format) {
        return switch (format) {
            case MP4 -> mp4;
            case WEBM -> webm;
            case GIF -> gif;
            case PNG -> Optional.empty();
        };
    }

    private static Optional<String> first(List<String> names, Predicate<String> available) {
        return names.stream().filter(available).findFirst();
    }
}
