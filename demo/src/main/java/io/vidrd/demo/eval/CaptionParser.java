package io.vidrd.demo.eval;

import io.vidrd.demo.data.Motion;
import io.vidrd.demo.data.ObjectColor;
import io.vidrd.demo.data.ShapeKind;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads what a motion-clip prompt asks for: the colour word right before the shape word, and the
 * motion phrase. Works on every caption template of the synthetic data (and on hand-written
 * prompts in that language); "blue" inside "dark blue background" is not taken for the object.
 */
public final class CaptionParser {

    private CaptionParser() {
    }

    /**
     * @param prompt a prompt
     * @return the expected object, or empty if the prompt names no single coloured shape
     */
    public static Optional<Expectation> parse(String prompt) {
        String text = " " + prompt.toLowerCase(Locale.ROOT).replaceAll("[^a-z ]", " ").replaceAll(" +", " ") + " ";
        ShapeKind shape = null;
        ObjectColor color = null;
        for (ShapeKind s : ShapeKind.values()) {
            int at = text.indexOf(" " + s.word() + " ");
            if (at < 0) {
                continue;
            }
            if (shape != null) {
                return Optional.empty();
            }
            shape = s;
            String before = text.substring(0, at).trim();
            String last = before.substring(before.lastIndexOf(' ') + 1);
            for (ObjectColor c : ObjectColor.values()) {
                if (c.word().equals(last)) {
                    color = c;
                }
            }
        }
        if (shape == null || color == null) {
            return Optional.empty();
        }
        // longest phrase first: "moving up and to the left" contains "moving up"
        Motion motion = Arrays.stream(Motion.values())
                .sorted(Comparator.comparingInt((Motion m) -> m.phrase().length()).reversed())
                .filter(m -> text.contains(" " + m.phrase() + " "))
                .findFirst().orElse(null);
        return Optional.of(new Expectation(color, shape, motion));
    }

    /**
     * What a prompt asks for.
     *
     * @param color the object's colour
     * @param shape the object's shape
     * @param motion the motion, or null if the prompt names none
     */
    public record Expectation(ObjectColor color, ShapeKind shape, Motion motion) {
    }
}
