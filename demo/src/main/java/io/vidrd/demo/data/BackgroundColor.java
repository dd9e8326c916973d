package io.vidrd.demo.data;

import java.awt.Color;
import java.util.Locale;

/** Background colours: dark or muted, so that every {@link ObjectColor} stands out. */
public enum BackgroundColor {
    BLACK("black", 10, 10, 10), GRAY("gray", 100, 100, 100), NAVY("dark blue", 15, 20, 80),
    FOREST("dark green", 15, 70, 25), BROWN("brown", 90, 55, 25);

    private final String words;
    private final int rgb;

    BackgroundColor(String words, int r, int g, int b) {
        this.words = words;
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

    /**
     * @return the second colour of a texture: a little lighter, so textured backgrounds stay
     *     background-like for the evaluator's segmentation
     */
    public Color textureAwt() {
        Color c = awt();
        return new Color(Math.min(255, c.getRed() + 30), Math.min(255, c.getGreen() + 30),
                Math.min(255, c.getBlue() + 30));
    }

    /** @return the caption words ("dark blue", ...) */
    public String words() {
        return words;
    }

    /** @return the enum name in lower case, for parsing */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
