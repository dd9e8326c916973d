package io.vidrd.media;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reduces an RGB frame to at most 256 colours with a palette of its own, laid out as
 * FFmpeg's {@code pal8}: one index byte per pixel, then (at a 4-byte aligned offset) 256
 * native-endian {@code 0xAARRGGBB} entries.
 *
 * <p>Why not let FFmpeg convert: swscale's {@code rgb8}/{@code pal8} output uses one fixed
 * 3-3-2 palette, which bands gradients badly; a palette per frame follows the picture. The
 * palette comes from a median cut over a 5-bit-per-channel histogram, refined by a few
 * k-means passes; pixels map to the nearest entry at full precision. Frames with at most 256
 * colours keep them exactly. No dithering: it would flicker between frames with different
 * palettes and make the GIF larger.
 *
 * <p>Not thread-safe; one instance per writer reuses its buffers across frames.
 */
final class Pal8Quantizer {

    static final int COLORS = 256;
    private static final int BITS = 5;
    private static final int BINS = 1 << (3 * BITS);
    private static final int REFINE_PASSES = 3;

    private final int pixels;
    private final int paletteOffset;
    private final int[] binCount = new int[BINS];
    private final long[][] binSum = new long[3][BINS];
    private final int[] usedBins = new int[BINS];
    private final int[][] binMean = new int[3][BINS];
    private final int[] palette = new int[COLORS];
    private int paletteSize;
    private final int[] hashKeys;
    private final int[] hashValues;

    /**
     * @param width frame width
     * @param height frame height
     */
    Pal8Quantizer(int width, int height) {
        this.pixels = width * height;
        this.paletteOffset = (pixels + 3) & ~3;
        int cap = Integer.highestOneBit(Math.max(16, pixels * 2 - 1)) << 1;
        this.hashKeys = new int[cap];
        this.hashValues = new int[cap];
    }

    /**
     * Bytes a frame takes in the {@code pal8} layout.
     *
     * @return index bytes, padding and the 1024-byte palette
     */
    int bufferSize() {
        return paletteOffset + 4 * COLORS;
    }

    /**
     * Quantizes one frame into {@code out}.
     *
     * @param rgb {@code width * height * 3} bytes
     * @param out a buffer of at least {@link #bufferSize()} bytes; written from index 0
     */
    void quantize(byte[] rgb, ByteBuffer out) {
        if (exactPalette(rgb)) {
            sortByGreen();
        } else {
            histogram(rgb);
            int used = medianCut();
            sortByGreen();
            refine(used);
        }
        writePalette(out);
        Arrays.fill(hashKeys, 0);
        for (int i = 0, p = 0; i < pixels; i++, p += 3) {
            out.put(i, (byte) nearest(rgb[p] & 0xFF, rgb[p + 1] & 0xFF, rgb[p + 2] & 0xFF));
        }
    }

    /** Uses the frame's own colours when there are at most 256 of them. */
    private boolean exactPalette(byte[] rgb) {
        Arrays.fill(hashKeys, 0);
        paletteSize = 0;
        for (int p = 0; p < rgb.length; p += 3) {
            int c = (rgb[p] & 0xFF) << 16 | (rgb[p + 1] & 0xFF) << 8 | rgb[p + 2] & 0xFF;
            int slot = slot(c);
            if (hashKeys[slot] == 0) {
                if (paletteSize == COLORS) {
                    return false;
                }
                hashKeys[slot] = c + 1;
                palette[paletteSize++] = c;
            }
        }
        return true;
    }

    private void histogram(byte[] rgb) {
        Arrays.fill(binCount, 0);
        for (long[] s : binSum) {
            Arrays.fill(s, 0);
        }
        for (int p = 0; p < rgb.length; p += 3) {
            int r = rgb[p] & 0xFF;
            int g = rgb[p + 1] & 0xFF;
            int b = rgb[p + 2] & 0xFF;
            int bin = (r >> 3) << 10 | (g >> 3) << 5 | b >> 3;
            binCount[bin]++;
            binSum[0][bin] += r;
            binSum[1][bin] += g;
            binSum[2][bin] += b;
        }
    }

    /** Splits boxes of histogram bins until there are 256; returns the number of used bins. */
    private int medianCut() {
        int used = 0;
        for (int bin = 0; bin < BINS; bin++) {
            if (binCount[bin] > 0) {
                usedBins[used++] = bin;
                for (int ch = 0; ch < 3; ch++) {
                    binMean[ch][bin] = (int) Math.round((double) binSum[ch][bin] / binCount[bin]);
                }
            }
        }
        int[] start = new int[COLORS];
        int[] end = new int[COLORS];
        double[] score = new double[COLORS];
        int[] axis = new int[COLORS];
        int boxes = 1;
        end[0] = used;
        score(0, start, end, score, axis);
        while (boxes < COLORS) {
            int best = -1;
            for (int k = 0; k < boxes; k++) {
                if (score[k] > 0 && (best < 0 || score[k] > score[best])) {
                    best = k;
                }
            }
            if (best < 0) {
                break;
            }
            int cut = medianSplit(start[best], end[best], axis[best]);
            start[boxes] = cut;
            end[boxes] = end[best];
            end[best] = cut;
            score(best, start, end, score, axis);
            score(boxes, start, end, score, axis);
            boxes++;
        }
        paletteSize = boxes;
        for (int k = 0; k < boxes; k++) {
            long n = 0;
            long[] sum = new long[3];
            for (int i = start[k]; i < end[k]; i++) {
                int bin = usedBins[i];
                n += binCount[bin];
                for (int ch = 0; ch < 3; ch++) {
                    sum[ch] += binSum[ch][bin];
                }
            }
            palette[k] = rgbOf(sum, n);
        }
        return used;
    }

    /** Finds a box's channel of largest spread; boxes of one bin cannot be split and score 0. */
    private void score(int k, int[] start, int[] end, double[] score, int[] axis) {
        score[k] = 0;
        if (end[k] - start[k] < 2) {
            return;
        }
        for (int ch = 0; ch < 3; ch++) {
            double v = spread(start[k], end[k], ch);
            if (v > score[k]) {
                score[k] = v;
                axis[k] = ch;
            }
        }
    }

    /** Pixel-weighted squared error of one channel within a box: the box worth splitting most. */
    private double spread(int from, int to, int ch) {
        double n = 0;
        double s = 0;
        double s2 = 0;
        for (int i = from; i < to; i++) {
            int bin = usedBins[i];
            double v = binMean[ch][bin];
            n += binCount[bin];
            s += v * binCount[bin];
            s2 += v * v * binCount[bin];
        }
        return s2 - s * s / n;
    }

    /** Sorts a box's bins along one channel and returns the pixel-weighted median position. */
    private int medianSplit(int from, int to, int ch) {
        // Sort by channel value with the bin index in the low 15 bits: a primitive sort, no boxing.
        int[] keys = new int[to - from];
        long total = 0;
        for (int i = from; i < to; i++) {
            int bin = usedBins[i];
            keys[i - from] = binMean[ch][bin] << (3 * BITS) | bin;
            total += binCount[bin];
        }
        Arrays.sort(keys);
        int mask = BINS - 1;
        for (int i = 0; i < keys.length; i++) {
            usedBins[from + i] = keys[i] & mask;
        }
        long half = 0;
        int cut = from + 1;
        for (int i = 0; i < keys.length - 1; i++) {
            half += binCount[keys[i] & mask];
            cut = from + i + 1;
            if (2 * half >= total) {
                break;
            }
        }
        return cut;
    }

    /** K-means passes over the histogram bins: moves each entry to the mean of the bins nearest to it. */
    private void refine(int used) {
        long[][] sum = new long[3][COLORS];
        long[] n = new long[COLORS];
        for (int pass = 0; pass < REFINE_PASSES; pass++) {
            for (long[] s : sum) {
                Arrays.fill(s, 0);
            }
            Arrays.fill(n, 0);
            for (int i = 0; i < used; i++) {
                int bin = usedBins[i];
                int k = nearestEntry(binMean[0][bin], binMean[1][bin], binMean[2][bin]);
                n[k] += binCount[bin];
                for (int ch = 0; ch < 3; ch++) {
                    sum[ch][k] += binSum[ch][bin];
                }
            }
            for (int k = 0; k < paletteSize; k++) {
                if (n[k] > 0) {
                    palette[k] = rgbOf(new long[] {sum[0][k], sum[1][k], sum[2][k]}, n[k]);
                }
            }
            sortByGreen();
        }
    }

    private int nearest(int r, int g, int b) {
        int c = r << 16 | g << 8 | b;
        int slot = slot(c);
        if (hashKeys[slot] == c + 1) {
            return hashValues[slot];
        }
        int k = nearestEntry(r, g, b);
        hashKeys[slot] = c + 1;
        hashValues[slot] = k;
        return k;
    }

    /**
     * Nearest palette entry by squared RGB distance. The entries are kept sorted by green
     * ({@link #sortByGreen}), so the search walks outwards from the query's green value and
     * stops once green alone is farther than the best match.
     */
    private int nearestEntry(int r, int g, int b) {
        int lo = 0;
        int hi = paletteSize;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if ((palette[mid] >> 8 & 0xFF) < g) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int best = Math.min(lo, paletteSize - 1);
        int bestDist = distance(palette[best], r, g, b);
        boolean up = true;
        boolean down = true;
        for (int step = 1; up || down; step++) {
            int i = lo + step - 1;
            if (up && i < paletteSize) {
                int dg = (palette[i] >> 8 & 0xFF) - g;
                if (dg * dg >= bestDist) {
                    up = false;
                } else {
                    int d = distance(palette[i], r, g, b);
                    if (d < bestDist) {
                        bestDist = d;
                        best = i;
                    }
                }
            } else {
                up = false;
            }
            int j = lo - step;
            if (down && j >= 0) {
                int dg = (palette[j] >> 8 & 0xFF) - g;
                if (dg * dg >= bestDist) {
                    down = false;
                } else {
                    int d = distance(palette[j], r, g, b);
                    if (d < bestDist) {
                        bestDist = d;
                        best = j;
                    }
                }
            } else {
                down = false;
            }
        }
        return best;
    }

    private static int distance(int entry, int r, int g, int b) {
        int dr = (entry >> 16 & 0xFF) - r;
        int dg = (entry >> 8 & 0xFF) - g;
        int db = (entry & 0xFF) - b;
        return dr * dr + dg * dg + db * db;
    }

    /** Orders the entries by green, as {@link #nearestEntry} expects. */
    private void sortByGreen() {
        // 0x00GGRRBB: green first, so the natural int order is by green
        int[] keys = new int[paletteSize];
        for (int k = 0; k < paletteSize; k++) {
            int c = palette[k];
            keys[k] = (c >> 8 & 0xFF) << 16 | (c >> 16 & 0xFF) << 8 | c & 0xFF;
        }
        Arrays.sort(keys);
        for (int k = 0; k < paletteSize; k++) {
            int c = keys[k];
            palette[k] = (c >> 8 & 0xFF) << 16 | (c >> 16 & 0xFF) << 8 | c & 0xFF;
        }
    }

    /** Open addressing, linear probing; keys are colour + 1 so that 0 marks an empty slot. */
    private int slot(int color) {
        int mask = hashKeys.length - 1;
        int h = (color * 0x9E3779B1) >>> 7 & mask;
        while (hashKeys[h] != 0 && hashKeys[h] != color + 1) {
            h = (h + 1) & mask;
        }
        return h;
    }

    private void writePalette(ByteBuffer out) {
        ByteBuffer pal = out.duplicate().order(ByteOrder.nativeOrder());
        for (int k = 0; k < COLORS; k++) {
            // Opaque everywhere: FFmpeg's GIF encoder treats a non-opaque entry as transparent.
            int rgb = k < paletteSize ? palette[k] : 0;
            pal.putInt(paletteOffset + 4 * k, 0xFF000000 | rgb);
        }
    }

    private static int rgbOf(long[] sum, long n) {
        int r = (int) Math.min(255, Math.round((double) sum[0] / n));
        int g = (int) Math.min(255, Math.round((double) sum[1] / n));
        int b = (int) Math.min(255, Math.round((double) sum[2] / n));
        return r << 16 | g << 8 | b;
    }
}
