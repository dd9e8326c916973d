package io.vidrd.api;

import java.io.Serializable;
import java.util.Objects;

/**
 * One problem found in a {@link GenerationRequest}.
 *
 * @param field the parameter key as in {@link GenerationRequest#toParameters()}, e.g.
 *     {@code "frames_per_clip"}; a clip prompt is {@code "clip_prompts[3]"}
 * @param value the rejected value as text ({@code "null"} for a missing value)
 * @param message a self-contained sentence naming the field, the value and the allowed range
 */
public record FieldError(String field, String value, String message) implements Serializable {

    /**
     * Rejects {@code null} components so that messages can always be printed.
     *
     * @param field the parameter key
     * @param value the rejected value as text
     * @param message the full sentence
     */
    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(message, "message");
    }
}
