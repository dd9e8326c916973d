package io.vidrd.demo.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidrd.demo.data.BackgroundColor;
import io.vidrd.demo.data.ClipAttributes;
import io.vidrd.demo.data.Motion;
import io.vidrd.demo.data.ObjectColor;
import io.vidrd.demo.data.Sample;
import io.vidrd.demo.data.ShapeKind;
import io.vidrd.demo.data.SyntheticVideos;
import io.vidrd.demo.data.Texture;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    /** Ground-truth clips scored against their own captions: what the evaluator can recover at best. */
    @Test
    void groundTruthClipsScoreHigh() {
        for (int size : new int[] {32, 64}) {
            SyntheticVideos gen = new SyntheticVideos(size, size, 8);
            List<Evaluator.Case> cases = new ArrayList<>();
            for (long seed = 0; seed < 150; seed++) {
                Sample s = gen.motionClip(seed);
                cases.add(new Evaluator.Case(s.caption(), RgbVideo.of(s.frames())));
            }
            Evaluator.Report r = Evaluator.evaluate(cases, 8);
            System.out.println(size + "x" + size + ":\n" + r.summary());
            r.misses().stream().limit(8).forEach(System.out::println);
            assertEquals(0, r.unparsed());
            assertEquals(150, r.clips());
            assertTrue(r.colorAccuracy() >= 0.97, "colour " + r.colorAccuracy());
            assertTrue(r.directionAccuracy() >= 0.97, "direction " + r.directionAccuracy());
            assertTrue(r.motionAccuracy() >= 0.95, "motion " + r.motionAccuracy());
            assertTrue(r.shapeAccuracy() >= 0.9, "shape " + r.shapeAccuracy());
        }
    }

    @Test
    void frozenVideoHasNoMotionAndReadsStill() {
        Sample s = new SyntheticVideos(32, 32, 8).render(new ClipAttributes(ShapeKind.SQUARE, ObjectColor.BLUE,
                BackgroundColor.GRAY, Texture.CHECKERED, Motion.RIGHT), 0, 1);
        List<BufferedImage> frozen = Collections.nCopies(16, s.frames().get(3));
        RgbVideo v = RgbVideo.of(frozen);
        Smoothness.Report sm = Smoothness.measure(v, 8);
        assertEquals(0, sm.meanMotion());
        assertEquals(0, sm.withinMeanAbsDiff());
        assertEquals(0, sm.boundaryMeanAbsDiff());
        assertEquals(Smoothness.MAX_PSNR, sm.withinPsnr());
        ClipAnalyzer.Reading r = ClipAnalyzer.analyze(v.slice(0, 8));
        assertEquals(Motion.STILL, r.motion());
        assertEquals(ObjectColor.BLUE, r.color());
        assertEquals(ShapeKind.SQUARE, r.shape());
        Evaluator.Report report = Evaluator.evaluate(List.of(new Evaluator.Case(s.caption(), v)), 8);
        assertEquals(0, report.meanMotion());
        assertEquals(0, report.directionAccuracy());
        assertEquals(1, report.colorAccuracy());
    }

    @Test
    void boundaryJumpsShowAtBoundariesOnly() {
        SyntheticVideos gen = new SyntheticVideos(32, 32, 8);
        List<BufferedImage> frames = new ArrayList<>(gen.motionClip(1).frames());
        frames.addAll(gen.motionClip(2).frames());
        Smoothness.Report sm = Smoothness.measure(RgbVideo.of(frames), 8);
        assertEquals(14, sm.withinPairs());
        assertEquals(1, sm.boundaryPairs());
        assertTrue(sm.meanMotion() > 0);
        assertTrue(sm.boundaryRatio() > 3, "a cut between unrelated clips: ratio " + sm.boundaryRatio());
        assertTrue(sm.boundaryPsnr() < sm.withinPsnr());
    }

    @Test
    void parsesEveryTemplateAndIgnoresBackgroundColourWords() {
        for (int t = 0; t < ClipAttributes.templateCount(); t++) {
            ClipAttributes a = new ClipAttributes(ShapeKind.STAR, ObjectColor.YELLOW, BackgroundColor.NAVY,
                    Texture.STRIPED, Motion.UP_LEFT);
            Optional<CaptionParser.Expectation> e = CaptionParser.parse(a.caption(t));
            assertEquals(Optional.of(new CaptionParser.Expectation(ObjectColor.YELLOW, ShapeKind.STAR, Motion.UP_LEFT)),
                    e, a.caption(t));
        }
        assertEquals(Motion.UP, CaptionParser.parse("A green square moving up.").orElseThrow().motion());
        assertTrue(CaptionParser.parse("wood on fire").isEmpty());
        assertEquals(Motion.DOWN_RIGHT, ClipAnalyzer.direction(0.3, 0.3));
        assertEquals(Motion.UP, ClipAnalyzer.direction(0, -0.3));
    }
}
