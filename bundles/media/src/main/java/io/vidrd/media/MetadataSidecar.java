package io.vidrd.media;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.vidrd.api.VideoFormat;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The JSON file written next to every video, {@code <target>.json}: all metadata, whatever
 * the container can hold, plus how the video was encoded.
 *
 * <p>Example:
 * <pre>{@code
 * {
 *   "format": "mp4", "codec": "libopenh264", "width": 256, "height": 256, "fps": 8.0, "frames": 64,
 *   "metadata": { "prompt": "a boat", "seed": "42", ... }
 * }
 * }</pre>
 *
 * @param format the video format's extension, e.g. {@code mp4}
 * @param codec the FFmpeg encoder, or {@code png} for PNG frames
 * @param width frame width
 * @param height frame height
 * @param fps frames per second
 * @param frames number of frames written
 * @param metadata every metadata entry given to the encoder, sorted by key
 */
public record MetadataSidecar(String format, String codec, int width, int height, double fps, long frames,
        Map<String, String> metadata) {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /**
     * Copies the metadata into a sorted, unmodifiable map.
     *
     * @param format see the record description
     * @param codec see the record description
     * @param width see the record description
     * @param height see the record description
     * @param fps see the record description
     * @param frames see the record description
     * @param metadata see the record description
     */
    public MetadataSidecar {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(codec, "codec");
        metadata = java.util.Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    /**
     * Where the sidecar of a video lives.
     *
     * @param target the video file (or PNG directory)
     * @return {@code target} with {@code .json} appended to its name
     */
    public static Path pathFor(Path target) {
        return target.resolveSibling(target.getFileName() + ".json");
    }

    /**
     * The format as an enum.
     *
     * @return the format
     * @throws IllegalArgumentException if the file named an unknown format
     */
    public VideoFormat videoFormat() {
        return VideoFormat.fromName(format);
    }

    /**
     * Reads a sidecar.
     *
     * @param file the {@code .json} file (see {@link #pathFor})
     * @return its content
     * @throws IOException if the file cannot be read or is not a sidecar
     */
    public static MetadataSidecar read(Path file) throws IOException {
        MetadataSidecar s;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            s = GSON.fromJson(in, MetadataSidecar.class);
        } catch (JsonParseException e) {
            throw new IOException(file + " is not a metadata sidecar: " + e.getMessage(), e);
        }
        if (s == null || s.format() == null || s.metadata() == null) {
            throw new IOException(file + " is not a metadata sidecar (format or metadata missing)");
        }
        return s;
    }

    /**
     * Writes this sidecar to a temporary next to {@code target} and renames it there, so a
     * reader never sees half a file.
     *
     * @param target the sidecar's path
     * @throws IOException if writing fails; no temporary is left behind
     */
    public void write(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path temp = OutputFiles.tempFileFor(abs);
        boolean done = false;
        try {
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                GSON.toJson(this, out);
                out.write('\n');
            }
            OutputFiles.publishFile(temp, abs);
            done = true;
        } finally {
            if (!done) {
                OutputFiles.deleteQuietly(temp);
            }
        }
    }
}
