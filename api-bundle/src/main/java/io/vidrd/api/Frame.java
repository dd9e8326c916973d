package io.vidrd.api;

import java.util.Arrays;

/**
 * One video frame: 8-bit RGB, row-major, 3 bytes per pixel ({@code R, G, B}), no padding.
 *
 * <p>Immutable: the pixels are copied in and out, so a frame can be handed to several
 * listeners and encoders without anyone seeing another's changes.
 */
public final class Frame {
    private final int width;
    private final int height;
    private final byte[] rgb;

    private Frame(int width, int height, byte[] rgb) {
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    /**
     * Creates a frame from a copy of the given pixels.
     *
     * @param width width in pixels, at least 1
     * @param height height in pixels, at least 1
     * @param rgb {@code width * height * 3} bytes, row-major, R then G then B
     * @return the frame
     * @throws IllegalArgumentException if a size is not positive or the length does not match
     */
    public static Frame ofRgb(int width, int height, byte[] rgb) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("frame size must be positive, was " + width + "x" + height);
        }
        long expected = 3L * width * height;
        if (rgb.length != expected) {
            throw new IllegalArgumentException("a " + width + "x" + height + " RGB frame needs "
                    + expected + " bytes, got " + rgb.length);
        }
        return new Frame(width, height, rgb.clone());
    }

    /**
     * Width in pixels.
     *
     * @return the width, at least 1
     */
    public int width() {
        return width;
    }

    /**
     * Height in pixels.
     *
     * @return the height, at least 1
     */
    public int height() {
        return height;
    }

    /**
     * A copy of the pixels.
     *
     * @return {@code width * height * 3} bytes, row-major RGB
     */
    public byte[] rgb() {
        return rgb.clone();
    }

    /**
     * Copies the pixels into a caller's buffer, avoiding an allocation per frame when
     * encoding long videos.
     *
     * @param dst destination buffer
     * @param offset where the first byte goes
     * @throws IndexOutOfBoundsException if {@code dst} has no room for {@code width * height * 3} bytes
     */
    public void copyRgbTo(byte[] dst, int offset) {
        System.arraycopy(rgb, 0, dst, offset, rgb.length);
    }

    /**
     * One pixel as {@code 0xRRGGBB}.
     *
     * @param x column, {@code 0 <= x < width}
     * @param y row, {@code 0 <= y < height}
     * @return the colour, the top byte is zero
     * @throws IndexOutOfBoundsException if the position is outside the frame
     */
    public int rgbAt(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("pixel (" + x + ", " + y + ") outside " + width + "x" + height);
        }
        int i = 3 * (y * width + x);
        return (rgb[i] & 0xFF) << 16 | (rgb[i + 1] & 0xFF) << 8 | rgb[i + 2] & 0xFF;
    }

    /**
     * Frames are equal when size and every pixel are equal.
     *
     * @param o the other object
     * @return whether both frames hold the same picture
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.width == width && f.height == height && Arrays.equals(f.rgb, rgb);
    }

    /**
     * Hash over size and pixels.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(rgb);
    }

    /**
     * Size only; pixels would flood logs.
     *
     * @return e.g. {@code Frame[256x256]}
     */
    @Override
    public String toString() {
        return "Frame[" + width + "x" + height + "]";
    }
}
