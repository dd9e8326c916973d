package io.vidrd.demo.data;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * One captioned synthetic video.
 *
 * @param frames the frames, all {@code TYPE_INT_RGB} of one size
 * @param caption the caption
 * @param attributes the ground truth the caption describes
 */
public record Sample(List<BufferedImage> frames, String caption, SampleAttributes attributes) {

    /** Copies the list (the images themselves are shared; callers must not draw on them). */
    public Sample {
        frames = List.copyOf(frames);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("a sample needs at least one frame");
        }
    }

    /** @return frame width in pixels */
    public int width() {
        return frames.get(0).getWidth();
    }

    /** @return frame height in pixels */
    public int height() {
        return frames.get(0).getHeight();
    }

    /** @return number of frames */
    public int frameCount() {
        return frames.size();
    }

    /**
     * The frames as the VAE takes them: {@code [F, 3, H, W]} row-major, values in [−1, 1].
     *
     * @return a new array of {@code F·3·H·W} floats
     */
    public float[] toChwFloats() {
        int w = width();
        int h = height();
        int plane = w * h;
        float[] out = new float[frames.size() * 3 * plane];
        int[] rgb = new int[plane];
        for (int f = 0; f < frames.size(); f++) {
            frames.get(f).getRGB(0, 0, w, h, rgb, 0, w);
            int base = f * 3 * plane;
            for (int i = 0; i < plane; i++) {
                int p = rgb[i];
                out[base + i] = ((p >> 16) & 0xFF) / 127.5f - 1f;
                out[base + plane + i] = ((p >> 8) & 0xFF) / 127.5f - 1f;
                out[base + 2 * plane + i] = (p & 0xFF) / 127.5f - 1f;
            }
        }
        return out;
    }
}
