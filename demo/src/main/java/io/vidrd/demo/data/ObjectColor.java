package io.vidrd.demo.data;

import java.awt.Color;
import java.util.Locale;

/**
 * Object colours. They are saturated or bright so that an evaluator can tell them from the dark,
 * muted {@link BackgroundColor}s by distance alone, and far enough apart in RGB that the nearest
 * palette entry recovers the name.
 */
public enum ObjectColor {
    RED(230, 30, 30), GREEN(40, 200, 40), BLUE(40, 90, 255), YELLOW(245, 230, 40),
    WHITE(245, 245, 245), ORANGE(255, 140, 0), PURPLE(170, 50, 220), CYAN(40, 230, 230);

    private final int rgb;

    ObjectColor(int r, int g, int b) {
        this.rgb = (r << 16) | (g << 8) | b;
    }

    /** @return packed 0xRRGGBB */
    public int rgb() {
        return rgb;
    }

    /** @return as an AWT colour */
    public Color awt() {
        return new Color(rgb);
    }

    /** @return the caption word ("red", ...) */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
