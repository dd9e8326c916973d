package io.vidrd.demo.eval;

/**
 * Temporal smoothness of a long video made of clips of {@code framesPerClip} frames: adjacent-
 * frame differences at clip boundaries (frame {@code k·N−1} to {@code k·N}) against those inside
 * clips. VidRD's claim is that boundaries look like the inside; a boundary/within ratio near 1 is
 * smooth. Motion is reported alongside because a frozen video has zero difference everywhere and
 * would otherwise look perfectly smooth.
 */
public final class Smoothness {

    /** PSNR reported for identical frames, where it is infinite. */
    public static final double MAX_PSNR = 99;

    private Smoothness() {
    }

    /**
     * @param video the frames
     * @param framesPerClip frames per clip (the video length need not be a multiple)
     * @return the statistics; boundary fields are NaN for a single clip
     */
    public static Report measure(RgbVideo video, int framesPerClip) {
        if (framesPerClip < 1) {
            throw new IllegalArgumentException("framesPerClip must be positive");
        }
        double withinAbs = 0;
        double withinSq = 0;
        int within = 0;
        double boundaryAbs = 0;
        double boundarySq = 0;
        int boundary = 0;
        for (int i = 0; i + 1 < video.frameCount(); i++) {
            double[] d = difference(video.frames().get(i), video.frames().get(i + 1));
            if ((i + 1) % framesPerClip == 0) {
                boundaryAbs += d[0];
                boundarySq += d[1];
                boundary++;
            } else {
                withinAbs += d[0];
                withinSq += d[1];
                within++;
            }
        }
        int pairs = within + boundary;
        double motion = pairs == 0 ? 0 : (withinAbs + boundaryAbs) / pairs;
        return new Report(within == 0 ? Double.NaN : withinAbs / within,
                boundary == 0 ? Double.NaN : boundaryAbs / boundary,
                within == 0 ? Double.NaN : psnr(withinSq / within),
                boundary == 0 ? Double.NaN : psnr(boundarySq / boundary), motion, within, boundary);
    }

    /** @return {mean abs difference, mean squared difference} over pixels and channels, 0–255 scale */
    static double[] difference(int[] a, int[] b) {
        double abs = 0;
        double sq = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                int d = ((a[i] >> shift) & 0xFF) - ((b[i] >> shift) & 0xFF);
                abs += Math.abs(d);
                sq += d * d;
            }
        }
        int n = 3 * a.length;
        return new double[] {abs / n, sq / n};
    }

    private static double psnr(double mse) {
        return mse <= 0 ? MAX_PSNR : Math.min(MAX_PSNR, 10 * Math.log10(255.0 * 255.0 / mse));
    }

    /**
     * @param withinMeanAbsDiff mean abs difference of adjacent frames inside clips (0–255)
     * @param boundaryMeanAbsDiff the same across clip boundaries
     * @param withinPsnr PSNR from the mean squared difference inside clips (dB, capped at {@link #MAX_PSNR})
     * @param boundaryPsnr the same across boundaries
     * @param meanMotion mean abs difference over all adjacent pairs: 0 for a frozen video
     * @param withinPairs adjacent pairs inside clips
     * @param boundaryPairs adjacent pairs across boundaries
     */
    public record Report(double withinMeanAbsDiff, double boundaryMeanAbsDiff, double withinPsnr,
            double boundaryPsnr, double meanMotion, int withinPairs, int boundaryPairs) {

        /** @return boundary over within mean abs difference (1 = boundaries as smooth as clips; NaN if undefined) */
        public double boundaryRatio() {
            return withinMeanAbsDiff > 0 ? boundaryMeanAbsDiff / withinMeanAbsDiff : Double.NaN;
        }
    }
}
