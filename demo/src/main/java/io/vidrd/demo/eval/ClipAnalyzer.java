package io.vidrd.demo.eval;

import io.vidrd.demo.data.Motion;
import io.vidrd.demo.data.ObjectColor;
import io.vidrd.demo.data.ShapeKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recovers the object of a one-object clip by simple image analysis: background colours from
 * the frame border, the object as the pixels far from all of them, its colour as the nearest
 * palette entry to the median object pixel, its shape from the fill ratio of its bounding box
 * (square ≈ 1, circle ≈ π/4, triangle and star lower, told apart by the triangle's flat side),
 * its motion from the centroid track and the area trend.
 *
 * <p>Deliberately simple and explainable; the thresholds are documented and tested on the
 * synthetic ground truth. Stateless.
 */
public final class ClipAnalyzer {

    /** RGB distance beyond which a pixel is not background; a texture's second colour is ~52 away. */
    static final double OBJECT_DISTANCE = 70;
    /** Share of the border a colour bin needs to count as background. */
    private static final double BACKGROUND_SHARE = 0.12;
    /** Centroid travel, in frame sides, from which the object counts as moving. */
    static final double MOVE_THRESHOLD = 0.12;
    /** |ln(last area / first area)| from which the object counts as growing or shrinking. */
    static final double SIZE_THRESHOLD = Math.log(2);
    /** First-to-last mask IoU below which a stationary object of constant size counts as rotating. */
    static final double ROTATION_IOU = 0.85;
    /** Fill-ratio thresholds: square (1.0), circle (π/4), triangle (0.5), star (~0.34). */
    static final double SQUARE_FILL = 0.9;
    static final double CIRCLE_FILL = 0.7;
    /** Frames whose object area is at least this share of the largest are used for the shape. */
    static final double LARGE_VIEW = 0.7;
    /**
     * Share of the bounding box's bottom band that an upright triangle covers (its base is flat)
     * and a star does not (it stands on two points).
     */
    static final double TRIANGLE_BASE = 0.55;

    private ClipAnalyzer() {
    }

    /**
     * @param video the clip
     * @return what was recovered; {@link Reading#found()} is false if no frame has an object
     */
    public static Reading analyze(RgbVideo video) {
        int w = video.width();
        int h = video.height();
        int n = video.frameCount();
        List<boolean[]> masks = new ArrayList<>(n);
        double[] cx = new double[n];
        double[] cy = new double[n];
        double[] area = new double[n];
        List<Double> fills = new ArrayList<>();
        List<Double> bases = new ArrayList<>();
        List<Integer> reds = new ArrayList<>();
        List<Integer> greens = new ArrayList<>();
        List<Integer> blues = new ArrayList<>();
        for (int f = 0; f < n; f++) {
            int[] px = video.frames().get(f);
            int[] bg = backgroundColors(px, w, h);
            boolean[] mask = new boolean[px.length];
            int minX = w;
            int minY = h;
            int maxX = -1;
            int maxY = -1;
            double sx = 0;
            double sy = 0;
            int count = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = px[y * w + x];
                    if (minDistance(p, bg) > OBJECT_DISTANCE) {
                        mask[y * w + x] = true;
                        count++;
                        sx += x;
                        sy += y;
                        minX = Math.min(minX, x);
                        maxX = Math.max(maxX, x);
                        minY = Math.min(minY, y);
                        maxY = Math.max(maxY, y);
                        reds.add((p >> 16) & 0xFF);
                        greens.add((p >> 8) & 0xFF);
                        blues.add(p & 0xFF);
                    }
                }
            }
            masks.add(mask);
            area[f] = count;
            cx[f] = count > 0 ? sx / count : Double.NaN;
            cy[f] = count > 0 ? sy / count : Double.NaN;
            if (count > 0) {
                fills.add(count / (double) ((maxX - minX + 1) * (maxY - minY + 1)));
                bases.add(bottomBandFill(mask, w, minX, maxX, minY, maxY));
            }
        }
        if (fills.isEmpty()) {
            return new Reading(false, null, null, Motion.STILL, 0, 0, 0, 0);
        }
        int rgb = (median(reds) << 16) | (median(greens) << 8) | median(blues);
        ObjectColor color = nearest(rgb);
        // Shape from the largest views (most pixels, least aliasing), and among those the most
        // box-filling one: a rotating square or triangle passes through an upright pose there.
        double maxArea = Arrays.stream(area).max().orElse(0);
        int upright = -1;
        for (int i = 0, k = 0; i < n; i++) {
            if (area[i] == 0) {
                continue;
            }
            if (area[i] >= LARGE_VIEW * maxArea && (upright < 0 || fills.get(k) > fills.get(upright))) {
                upright = k;
            }
            k++;
        }
        double fill = fills.get(upright);
        double base = bases.get(upright);
        ShapeKind shape = fill >= SQUARE_FILL ? ShapeKind.SQUARE : fill >= CIRCLE_FILL ? ShapeKind.CIRCLE
                : base >= TRIANGLE_BASE ? ShapeKind.TRIANGLE : ShapeKind.STAR;
        double side = Math.min(w, h);
        double dx = slope(cx) * (n - 1) / side;
        double dy = slope(cy) * (n - 1) / side;
        double[] logArea = Arrays.stream(area).map(a -> a > 0 ? Math.log(a) : Double.NaN).toArray();
        double sizeChange = slope(logArea) * (n - 1);
        double iou = iou(masks.get(0), masks.get(n - 1));
        Motion motion;
        if (Math.hypot(dx, dy) >= MOVE_THRESHOLD) {
            motion = direction(dx, dy);
        } else if (sizeChange >= SIZE_THRESHOLD) {
            motion = Motion.GROWING;
        } else if (sizeChange <= -SIZE_THRESHOLD) {
            motion = Motion.SHRINKING;
        } else if (iou < ROTATION_IOU) {
            motion = Motion.ROTATING;
        } else {
            motion = Motion.STILL;
        }
        return new Reading(true, color, shape, motion, dx, dy, sizeChange, fill);
    }

    /**
     * Covered share of the bottom or top fifth (at least one row) of the bounding box, whichever is
     * larger: a triangle upright or upside down has one flat side there.
     */
    private static double bottomBandFill(boolean[] mask, int w, int minX, int maxX, int minY, int maxY) {
        int rows = Math.max(1, (maxY - minY + 1) / 5);
        int bottom = 0;
        int top = 0;
        for (int r = 0; r < rows; r++) {
            for (int x = minX; x <= maxX; x++) {
                bottom += mask[(maxY - r) * w + x] ? 1 : 0;
                top += mask[(minY + r) * w + x] ? 1 : 0;
            }
        }
        return Math.max(bottom, top) / (double) (rows * (maxX - minX + 1));
    }

    /** One of eight directions by angle; image y grows downwards. */
    static Motion direction(double dx, double dy) {
        int sector = (int) Math.floorMod(Math.round(Math.atan2(dy, dx) / (Math.PI / 4)), 8);
        return switch (sector) {
            case 0 -> Motion.RIGHT;
            case 1 -> Motion.DOWN_RIGHT;
            case 2 -> Motion.DOWN;
            case 3 -> Motion.DOWN_LEFT;
            case 4 -> Motion.LEFT;
            case 5 -> Motion.UP_LEFT;
            case 6 -> Motion.UP;
            default -> Motion.UP_RIGHT;
        };
    }

    /** The palette colour nearest in RGB. */
    static ObjectColor nearest(int rgb) {
        ObjectColor best = null;
        double bestD = Double.MAX_VALUE;
        for (ObjectColor c : ObjectColor.values()) {
            double d = distance(rgb, c.rgb());
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best;
    }

    /**
     * Background colours: mean colour of each border bin (4 bits per channel) holding at least
     * {@link #BACKGROUND_SHARE} of the border, so a two-colour texture yields two colours.
     */
    static int[] backgroundColors(int[] px, int w, int h) {
        Map<Integer, long[]> bins = new HashMap<>();
        int border = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (x != 0 && y != 0 && x != w - 1 && y != h - 1) {
                    continue;
                }
                int p = px[y * w + x];
                int key = ((p >> 20) & 0xF) << 8 | ((p >> 12) & 0xF) << 4 | ((p >> 4) & 0xF);
                long[] acc = bins.computeIfAbsent(key, k -> new long[4]);
                acc[0] += (p >> 16) & 0xFF;
                acc[1] += (p >> 8) & 0xFF;
                acc[2] += p & 0xFF;
                acc[3]++;
                border++;
            }
        }
        int limit = (int) Math.ceil(border * BACKGROUND_SHARE);
        List<long[]> top = bins.values().stream().sorted((a, b) -> Long.compare(b[3], a[3])).toList();
        List<Integer> colors = new ArrayList<>();
        for (long[] acc : top) {
            if (acc[3] < limit && !colors.isEmpty()) {
                break;
            }
            colors.add((int) (acc[0] / acc[3]) << 16 | (int) (acc[1] / acc[3]) << 8 | (int) (acc[2] / acc[3]));
        }
        return colors.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double minDistance(int p, int[] colors) {
        double best = Double.MAX_VALUE;
        for (int c : colors) {
            best = Math.min(best, distance(p, c));
        }
        return best;
    }

    static double distance(int a, int b) {
        int dr = ((a >> 16) & 0xFF) - ((b >> 16) & 0xFF);
        int dg = ((a >> 8) & 0xFF) - ((b >> 8) & 0xFF);
        int db = (a & 0xFF) - (b & 0xFF);
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }

    /** Least-squares slope per frame, skipping NaN (frames without an object). */
    private static double slope(double[] v) {
        double st = 0;
        double sv = 0;
        int k = 0;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isNaN(v[i])) {
                st += i;
                sv += v[i];
                k++;
            }
        }
        if (k < 2) {
            return 0;
        }
        double mt = st / k;
        double mv = sv / k;
        double num = 0;
        double den = 0;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isNaN(v[i])) {
                num += (i - mt) * (v[i] - mv);
                den += (i - mt) * (i - mt);
            }
        }
        return den == 0 ? 0 : num / den;
    }

    private static double iou(boolean[] a, boolean[] b) {
        int inter = 0;
        int union = 0;
        for (int i = 0; i < a.length; i++) {
            inter += a[i] && b[i] ? 1 : 0;
            union += a[i] || b[i] ? 1 : 0;
        }
        return union == 0 ? 1 : inter / (double) union;
    }

    private static int median(List<Integer> v) {
        int[] a = v.stream().mapToInt(Integer::intValue).sorted().toArray();
        return a[a.length / 2];
    }

    private static double medianD(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a[a.length / 2];
    }

    /**
     * What the analysis recovered from a clip.
     *
     * @param found whether any frame shows an object
     * @param color nearest palette colour of the object (null if not found)
     * @param shape shape by fill ratio (null if not found)
     * @param motion direction, growing/shrinking, rotating, or {@link Motion#STILL}
     * @param dx centroid travel over the clip, in frame sides (positive: right)
     * @param dy centroid travel over the clip, in frame sides (positive: down)
     * @param logAreaChange fitted ln(last area / first area)
     * @param fillRatio object area over bounding-box area in the frame the shape was read from
     */
    public record Reading(boolean found, ObjectColor color, ShapeKind shape, Motion motion, double dx,
            double dy, double logAreaChange, double fillRatio) {
    }
}
