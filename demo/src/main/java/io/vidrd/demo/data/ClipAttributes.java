package io.vidrd.demo.data;

import java.util.List;
import java.util.Objects;

/**
 * One object moving on a background: the content of a synthetic motion clip.
 *
 * @param shape the object's shape
 * @param color the object's colour
 * @param background the background colour
 * @param texture the background texture
 * @param motion what the object does over the clip
 */
public record ClipAttributes(ShapeKind shape, ObjectColor color, BackgroundColor background,
        Texture texture, Motion motion) implements SampleAttributes {

    /** Caption templates; every one names colour, shape, motion and background, in any order. */
    private static final List<String> TEMPLATES = List.of(
            "a {c} {s} {m} on a {t}{b} background",
            "a {c} {s} on a {t}{b} background, {m}",
            "a {t}{b} background with a {c} {s} {m}");

    /** Rejects the evaluator-only {@link Motion#STILL}. */
    public ClipAttributes {
        Objects.requireNonNull(shape);
        Objects.requireNonNull(color);
        Objects.requireNonNull(background);
        Objects.requireNonNull(texture);
        if (motion == Motion.STILL) {
            throw new IllegalArgumentException("STILL is not a generated motion");
        }
    }

    /** @return how many caption templates there are */
    public static int templateCount() {
        return TEMPLATES.size();
    }

    /**
     * @param template index in [0, {@link #templateCount()})
     * @return the caption, e.g. "a red circle moving to the right on a dark blue background"
     */
    public String caption(int template) {
        return TEMPLATES.get(template).replace("{c}", color.word()).replace("{s}", shape.word())
                .replace("{m}", motion.phrase()).replace("{t}", texture.prefix())
                .replace("{b}", background.words());
    }

    /** @return the first template's caption */
    public String caption() {
        return caption(0);
    }
}
