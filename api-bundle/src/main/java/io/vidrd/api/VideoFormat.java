package io.vidrd.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Output formats a {@link VideoEncoder} may write. */
public enum VideoFormat {
    /** H.264 in MP4, {@code yuv420p}: plays in every browser and player. */
    MP4("mp4", "video/mp4"),
    /** VP9 in WebM: royalty-free, plays in browsers. */
    WEBM("webm", "video/webm"),
    /** Animated GIF, looping: quick previews. */
    GIF("gif", "image/gif"),
    /** One lossless PNG per frame, in a directory: for evaluation and further processing. */
    PNG("png", "image/png");

    private final String extension;
    private final String mimeType;

    VideoFormat(String extension, String mimeType) {
        this.extension = extension;
        this.mimeType = mimeType;
    }

    /**
     * File name extension, without the dot.
     *
     * @return e.g. {@code "mp4"}
     */
    public String extension() {
        return extension;
    }

    /**
     * Media type of one output file (of one frame for {@link #PNG}).
     *
     * @return e.g. {@code "video/mp4"}
     */
    public String mimeType() {
        return mimeType;
    }

    /**
     * Parses a format name, case-insensitively, ignoring surrounding blanks and one leading dot.
     *
     * @param name {@code "mp4"}, {@code "webm"}, {@code "gif"} or {@code "png"}
     * @return the format
     * @throws IllegalArgumentException naming the allowed values if {@code name} is none of them
     */
    public static VideoFormat fromName(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (key.startsWith(".")) {
            key = key.substring(1);
        }
        for (VideoFormat f : values()) {
            if (f.extension.equals(key)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown video format '" + name + "', allowed: "
                + Arrays.stream(values()).map(VideoFormat::extension).collect(Collectors.joining(", ")));
    }

    /**
     * Guesses the format from a file name's extension, case-insensitively.
     *
     * @param fileName a file name or path, e.g. {@code "out/boat.MP4"}; may be {@code null}
     * @return the format, or empty if the extension is missing or unknown
     */
    public static Optional<VideoFormat> fromFileName(String fileName) {
        if (fileName == null) {
            return Optional.empty();
        }
        int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        int dot = fileName.lastIndexOf('.');
        if (dot <= slash + 1) { // no dot in the last segment, or a hidden file like ".mp4"
            return Optional.empty();
        }
        String ext = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.extension.equals(ext)).findFirst();
    }
}
