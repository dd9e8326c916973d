package io.vidrd.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SamplingPlanTest {

    private static SamplingPlan plan(int frames, int steps, int m, double beta) {
        return SamplingPlan.of(frames, 2, steps, 10, 8, 8).withLongVideo(m, 4, beta);
    }

    /** Last step (inclusive) at which each prompt frame is copied, -1 for never. */
    private static int[] lastCopiedStep(SamplingPlan p) {
        int[] last = new int[p.promptFrames()];
        java.util.Arrays.fill(last, -1);
        for (int i = 0; i < p.steps(); i++) {
            int n = p.stagedGuidanceFrames(i);
            for (int j = 0; j < n; j++) {
                last[j] = i;
            }
        }
        return last;
    }

    @Test
    void stagedGuidanceOfficialSettings() {
        // thresholds 20, 15, 10, 5: frame 0 copied at steps 0-19, frame 1 at 0-14, frame 2 at 0-9, frame 3 at 0-4
        assertArrayEquals(new int[] {19, 14, 9, 4}, lastCopiedStep(plan(8, 50, 4, 0.4)));
        assertEquals(4, plan(8, 50, 4, 0.4).stagedGuidanceFrames(0));
        assertEquals(1, plan(8, 50, 4, 0.4).stagedGuidanceFrames(19));
        assertEquals(0, plan(8, 50, 4, 0.4).stagedGuidanceFrames(20));
    }

    @Test
    void stagedGuidanceGoldenSettings() {
        // T = 5: thresholds 2, 1.5, 1, 0.5 -> frames 0 and 1 at steps 0-1, frames 2 and 3 at step 0
        assertArrayEquals(new int[] {1, 1, 0, 0}, lastCopiedStep(plan(6, 5, 4, 0.4)));
    }

    @Test
    void stagedGuidanceEdgeCases() {
        assertEquals(0, plan(6, 5, 0, 0.4).stagedGuidanceFrames(0), "no prompt frames, no copies");
        assertEquals(0, plan(6, 5, 4, 0).stagedGuidanceFrames(0), "beta 0 copies nothing (strict <)");
        // T/M is a true division: 10/4 = 2.5, frame 3 threshold 2.5*1*1 -> steps 0..2
        assertArrayEquals(new int[] {9, 7, 4, 2}, lastCopiedStep(plan(6, 10, 4, 1.0)));
    }

    @Test
    void noiseReuseStartFollowsPythonSlices() {
        assertEquals(0, plan(6, 5, 0, 0.4).noiseReuseStart(), "[-N:] is every frame");
        assertEquals(0, plan(6, 5, 6, 0.4).noiseReuseStart(), "[0:] is every frame");
        assertEquals(4, plan(6, 5, 4, 0.4).noiseReuseStart());
    }

    @Test
    void guidanceOnlyAboveOne() {
        assertTrue(SamplingPlan.of(6, 1, 4, 1.0001, 8, 8).guided());
        assertFalse(SamplingPlan.of(6, 1, 4, 1.0, 8, 8).guided());
    }

    @Test
    void shapeAndDefaults() {
        SamplingPlan p = SamplingPlan.of(6, 3, 5, 10, 8, 4).withBatch(2).withInitialNoiseAlpha(0.5);
        assertArrayEquals(new long[] {2, 4, 6, 8, 4}, p.latentShape(4));
        assertEquals(0.5, p.initialNoiseAlpha());
        assertEquals(0, p.promptFrames());
    }

    @Test
    void rejectsInvalidValues() {
        assertThrows(IllegalArgumentException.class, () -> SamplingPlan.of(0, 1, 4, 7.5, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> SamplingPlan.of(6, 0, 4, 7.5, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> SamplingPlan.of(6, 1, 0, 7.5, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> SamplingPlan.of(6, 1, 4, Double.NaN, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> SamplingPlan.of(6, 1, 4, 7.5, 0, 8));
        assertThrows(IllegalArgumentException.class, () -> plan(6, 5, 7, 0.4));
        assertThrows(IllegalArgumentException.class, () -> plan(6, 5, -1, 0.4));
        assertThrows(IllegalArgumentException.class, () -> plan(6, 5, 4, -0.1));
        assertThrows(IllegalArgumentException.class, () -> SamplingPlan.of(6, 1, 4, 7.5, 8, 8).withLongVideo(4, -1, 0.4));
        assertThrows(IllegalArgumentException.class, () -> SamplingPlan.of(6, 1, 4, 7.5, 8, 8).withBatch(0));
    }
}
