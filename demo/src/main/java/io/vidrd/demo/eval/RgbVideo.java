package io.vidrd.demo.eval;

import io.vidrd.api.Frame;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames as packed 0xRRGGBB ints, the one form the evaluator analyses, whatever produced them
 * (synthetic {@link BufferedImage}s or a generator's {@link Frame}s).
 *
 * @param width frame width
 * @param height frame height
 * @param frames one {@code width·height} array per frame, row-major
 */
public record RgbVideo(int width, int height, List<int[]> frames) {

    /** Checks sizes; the arrays are not copied (callers must not change them). */
    public RgbVideo {
        frames = List.copyOf(frames);
        if (frames.isEmpty() || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("a video needs frames and a positive size");
        }
        for (int[] f : frames) {
            if (f.length != width * height) {
                throw new IllegalArgumentException("frame of " + f.length + " pixels in a "
                        + width + "x" + height + " video");
            }
        }
    }

    /**
     * @param images frames of one size
     * @return their pixels
     */
    public static RgbVideo of(List<BufferedImage> images) {
        int w = images.get(0).getWidth();
        int h = images.get(0).getHeight();
        List<int[]> out = new ArrayList<>(images.size());
        for (BufferedImage img : images) {
            if (img.getWidth() != w || img.getHeight() != h) {
                throw new IllegalArgumentException("frames differ in size");
            }
            out.add(img.getRGB(0, 0, w, h, null, 0, w));
        }
        return new RgbVideo(w, h, out);
    }

    /**
     * @param frames a generated video's frames
     * @return their pixels
     */
    public static RgbVideo ofFrames(List<Frame> frames) {
        int w = frames.get(0).width();
        int h = frames.get(0).height();
        List<int[]> out = new ArrayList<>(frames.size());
        for (Frame frame : frames) {
            byte[] rgb = frame.rgb();
            int[] px = new int[w * h];
            for (int i = 0; i < px.length; i++) {
                px[i] = ((rgb[3 * i] & 0xFF) << 16) | ((rgb[3 * i + 1] & 0xFF) << 8) | (rgb[3 * i + 2] & 0xFF);
            }
            out.add(px);
        }
        return new RgbVideo(w, h, out);
    }

    /** @return number of frames */
    public int frameCount() {
        return frames.size();
    }

    /**
     * @param from first frame, inclusive
     * @param to last frame, exclusive
     * @return those frames (e.g. one clip of a long video)
     */
    public RgbVideo slice(int from, int to) {
        return new RgbVideo(width, height, frames.subList(from, to));
    }
}
