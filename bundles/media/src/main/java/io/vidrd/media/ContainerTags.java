package io.vidrd.media;

import com.google.gson.Gson;
import io.vidrd.api.GenerationRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns video metadata into container tags for MP4 and WebM.
 *
 * <p>Every entry becomes a tag under its own key, so {@code ffprobe} and
 * {@code FFmpegFrameGrabber.getMetadata()} show each parameter. In addition the prompt goes
 * into {@code title} and the whole map, as JSON, into {@code comment}: those two are the tags
 * ordinary players display.
 */
final class ContainerTags {

    /** Standard tag players show as the title. */
    static final String TITLE = "title";
    /** Standard tag holding all metadata as one JSON object. */
    static final String COMMENT = "comment";

    private static final Gson GSON = new Gson();

    private ContainerTags() {
    }

    /**
     * Builds the tags.
     *
     * @param metadata the video's metadata
     * @return the tags; the metadata's own {@code title} or {@code comment} win over the derived ones
     */
    static Map<String, String> of(Map<String, String> metadata) {
        Map<String, String> tags = new LinkedHashMap<>();
        String prompt = metadata.get(GenerationRequest.KEY_PROMPT);
        if (prompt != null) {
            tags.put(TITLE, prompt);
        }
        tags.put(COMMENT, GSON.toJson(new TreeMap<>(metadata)));
        tags.putAll(metadata);
        return tags;
    }
}
