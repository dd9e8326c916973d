package io.vidrd.demo.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prompt adherence and temporal quality over a set of (prompt, video) cases: each clip of a video
 * is analysed on its own ({@link ClipAnalyzer}) against what the prompt asks for
 * ({@link CaptionParser}); smoothness is measured over the whole video ({@link Smoothness}).
 * Stateless.
 */
public final class Evaluator {

    private Evaluator() {
    }

    /**
     * @param cases prompts and their generated videos; prompts that name no coloured shape are
     *     counted in {@link Report#unparsed()} and left out of the accuracies
     * @param framesPerClip frames per clip of the videos
     * @return accuracies (fractions in [0,1], NaN where no case applies) and mean statistics
     */
    public static Report evaluate(List<Case> cases, int framesPerClip) {
        int clips = 0;
        int colorOk = 0;
        int shapeOk = 0;
        int motionCases = 0;
        int motionOk = 0;
        int directionCases = 0;
        int directionOk = 0;
        int unparsed = 0;
        double within = 0;
        double boundary = 0;
        int boundaryVideos = 0;
        double motion = 0;
        List<String> misses = new ArrayList<>();
        for (Case c : cases) {
            Smoothness.Report s = Smoothness.measure(c.video(), framesPerClip);
            motion += s.meanMotion();
            if (s.boundaryPairs() > 0 && s.withinPairs() > 0) {
                within += s.withinMeanAbsDiff();
                boundary += s.boundaryMeanAbsDiff();
                boundaryVideos++;
            }
            Optional<CaptionParser.Expectation> expected = CaptionParser.parse(c.prompt());
            if (expected.isEmpty()) {
                unparsed++;
                continue;
            }
            CaptionParser.Expectation e = expected.get();
            for (int from = 0; from + framesPerClip <= c.video().frameCount(); from += framesPerClip) {
                ClipAnalyzer.Reading r = ClipAnalyzer.analyze(c.video().slice(from, from + framesPerClip));
                clips++;
                colorOk += r.color() == e.color() ? 1 : 0;
                shapeOk += r.shape() == e.shape() ? 1 : 0;
                if (e.motion() != null) {
                    motionCases++;
                    motionOk += r.motion() == e.motion() ? 1 : 0;
                    if (e.motion().translates()) {
                        directionCases++;
                        directionOk += r.motion() == e.motion() ? 1 : 0;
                    }
                    if (r.motion() != e.motion() || r.color() != e.color() || r.shape() != e.shape()) {
                        misses.add(c.prompt() + " [clip at " + from + "]: read " + r.color() + " "
                                + r.shape() + " " + r.motion());
                    }
                }
            }
        }
        return new Report(cases.size(), clips, unparsed, ratio(colorOk, clips), ratio(shapeOk, clips),
                ratio(motionOk, motionCases), ratio(directionOk, directionCases),
                boundaryVideos == 0 ? Double.NaN : within / boundaryVideos,
                boundaryVideos == 0 ? Double.NaN : boundary / boundaryVideos,
                cases.isEmpty() ? Double.NaN : motion / cases.size(), misses);
    }

    private static double ratio(int ok, int n) {
        return n == 0 ? Double.NaN : ok / (double) n;
    }

    /**
     * One prompt and the video generated for it.
     *
     * @param prompt the prompt
     * @param video the frames
     */
    public record Case(String prompt, RgbVideo video) {
    }

    /**
     * @param videos cases evaluated
     * @param clips clips analysed
     * @param unparsed cases whose prompt names no single coloured shape
     * @param colorAccuracy share of clips with the prompt's colour
     * @param shapeAccuracy share of clips with the prompt's shape
     * @param motionAccuracy share of clips with the prompt's motion (any kind)
     * @param directionAccuracy the same over prompts with a translation
     * @param withinMeanAbsDiff mean over videos of the inside-clip adjacent-frame difference
     * @param boundaryMeanAbsDiff mean over videos of the clip-boundary difference
     * @param meanMotion mean adjacent-frame difference over all videos (0 for frozen videos)
     * @param misses one line per clip that missed colour, shape or motion, for reading
     */
    public record Report(int videos, int clips, int unparsed, double colorAccuracy, double shapeAccuracy,
            double motionAccuracy, double directionAccuracy, double withinMeanAbsDiff,
            double boundaryMeanAbsDiff, double meanMotion, List<String> misses) {

        /** Copies the list. */
        public Report {
            misses = List.copyOf(misses);
        }

        /** @return a short multi-line summary */
        public String summary() {
            return String.format(java.util.Locale.ROOT,
                    "videos %d, clips %d, unparsed prompts %d%ncolour %.3f  shape %.3f  motion %.3f  direction %.3f%n"
                            + "adjacent-frame |diff| within clips %.2f, at boundaries %.2f (0-255); mean motion %.2f",
                    videos, clips, unparsed, colorAccuracy, shapeAccuracy, motionAccuracy, directionAccuracy,
                    withinMeanAbsDiff, boundaryMeanAbsDiff, meanMotion);
        }
    }
}
