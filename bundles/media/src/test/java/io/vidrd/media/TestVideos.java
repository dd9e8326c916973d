package io.vidrd.media;

import io.vidrd.api.Clip;
import io.vidrd.api.Frame;
import io.vidrd.api.GenerationRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Synthetic videos: a drifting gradient with a moving disc and square, like a small generated clip. */
final class TestVideos {

    private TestVideos() {
    }

    /**
     * One frame at time {@code t}: a drifting gradient, a red disc and a blue square whose
     * edges are soft over about two pixels, as in decoded (VAE) frames; hard edges would mostly
     * measure yuv420p's halved chroma resolution rather than the codec.
     */
    static Frame frame(int width, int height, int t) {
        byte[] rgb = new byte[3 * width * height];
        double cx = width * (0.2 + 0.6 * ((t * 0.07) % 1.0));
        double cy = height * (0.5 + 0.25 * Math.sin(t * 0.4));
        double radius = width * 0.18;
        double sx = width * 0.6 - t * width / 48.0;
        double sy = height / 6.0 + t % 5;
        double side = width / 4.0;
        double soft = 2.0 * width / 64.0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double r = 255.0 * x / (width - 1);
                double g = 255.0 * y / (height - 1);
                double b = 128 + 100 * Math.sin((x + y) * 0.05 + t * 0.3);
                double disc = coverage(radius - Math.hypot(x - cx, y - cy), soft);
                r += disc * (230 - r);
                g += disc * (40 - g);
                b += disc * (40 - b);
                double inside = Math.min(Math.min(x - sx, sx + side - x), Math.min(y - sy, sy + side - y));
                double square = coverage(inside, soft);
                r += square * (30 - r);
                g += square * (60 - g);
                b += square * (220 - b);
                int i = 3 * (y * width + x);
                rgb[i] = (byte) Math.round(r);
                rgb[i + 1] = (byte) Math.round(g);
                rgb[i + 2] = (byte) Math.round(b);
            }
        }
        return Frame.ofRgb(width, height, rgb);
    }

    /** 0 outside, 1 inside, a smooth ramp of width {@code soft} across the edge at distance 0. */
    private static double coverage(double inside, double soft) {
        double v = 0.5 + inside / soft;
        return v <= 0 ? 0 : v >= 1 ? 1 : v * v * (3 - 2 * v);
    }

    /** {@code clips} clips of {@code perClip} frames. */
    static List<Clip> clips(int width, int height, int clips, int perClip) {
        List<Clip> out = new ArrayList<>();
        for (int c = 0; c < clips; c++) {
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < perClip; i++) {
                frames.add(frame(width, height, c * perClip + i));
            }
            out.add(Clip.of(c, frames, c * perClip));
        }
        return out;
    }

    /** Metadata as an engine would write it, with non-ASCII text and JSON-ish values. */
    static Map<String, String> metadata() {
        GenerationRequest req = GenerationRequest.builder("a red boat on a blue lake, \"calm\" — 夕方")
                .size(64, 64).seed(1234567890123L).build();
        Map<String, String> m = new LinkedHashMap<>(req.toParameters());
        m.put("vidrd.engine.name", "vidrd-test");
        m.put("vidrd.device", "cpu");
        return m;
    }

    /**
     * PSNR of luma only (BT.601 weights, full range), in dB: what codec comparisons usually
     * quote, as it does not count the chroma detail yuv420p discards by design.
     */
    static double lumaPsnr(List<Frame> expected, List<byte[]> actual) {
        double sum = 0;
        long n = 0;
        for (int f = 0; f < expected.size(); f++) {
            byte[] a = expected.get(f).rgb();
            byte[] b = actual.get(f);
            for (int i = 0; i < a.length; i += 3) {
                double d = luma(a, i) - luma(b, i);
                sum += d * d;
                n++;
            }
        }
        double mse = sum / n;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    private static double luma(byte[] rgb, int i) {
        return 0.299 * (rgb[i] & 0xFF) + 0.587 * (rgb[i + 1] & 0xFF) + 0.114 * (rgb[i + 2] & 0xFF);
    }

    /** Peak signal-to-noise ratio over all channels of all given frames, in dB; infinite when equal. */
    static double psnr(List<Frame> expected, List<byte[]> actual) {
        double sum = 0;
        long n = 0;
        for (int f = 0; f < expected.size(); f++) {
            byte[] a = expected.get(f).rgb();
            byte[] b = actual.get(f);
            for (int i = 0; i < a.length; i++) {
                double d = (a[i] & 0xFF) - (b[i] & 0xFF);
                sum += d * d;
            }
            n += a.length;
        }
        double mse = sum / n;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
