package io.vidrd.demo.data;

import java.util.Locale;

/** The object shapes of the synthetic clips, named as captions name them. */
public enum ShapeKind {
    CIRCLE, SQUARE, TRIANGLE, STAR;

    /** @return the caption word ("circle", ...) */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
