package io.vidrd.demo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestepSamplingTest {

    @Test
    void weightFollowsTheVObjectiveUpToTheCap() {
        TimestepSampling s = new TimestepSampling(0, 999, 20);
        assertEquals(1 / 0.9f, s.weight(0.9), 1e-6f);
        assertEquals(10f, s.weight(0.1), 1e-5f);
        assertEquals(20f, s.weight(0.0047), 0f);
        assertEquals(1f, TimestepSampling.UNIFORM.weight(0.0047), 0f);
        assertEquals(1f, TimestepSampling.UNIFORM.weight(0.9991), 0f);
    }

    @Test
    void drawsStayInTheRangeAndReachBothEnds() {
        TimestepSampling s = new TimestepSampling(500, 503, 1);
        SplittableRandom random = new SplittableRandom(3);
        boolean[] seen = new boolean[4];
        for (int i = 0; i < 200; i++) {
            int t = s.draw(random);
            assertTrue(t >= 500 && t <= 503, "drawn " + t);
            seen[t - 500] = true;
        }
        assertTrue(seen[0] && seen[1] && seen[2] && seen[3]);
    }

    @Test
    void badValuesAreRefusedWithTheirRange() {
        assertThrows(IllegalArgumentException.class, () -> new TimestepSampling(600, 500, 1));
        assertThrows(IllegalArgumentException.class, () -> new TimestepSampling(-1, 500, 1));
        assertThrows(IllegalArgumentException.class, () -> new TimestepSampling(0, 999, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new TimestepSampling(0, 999, Double.NaN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TimestepSampling(0, 1000, 1).within(1000));
        assertTrue(e.getMessage().contains("0-999"), e.getMessage());
        IllegalArgumentException option = assertThrows(IllegalArgumentException.class,
                () -> TrainingOptions.parse("--out", "x", "--high-noise-weight", "0.5"));
        assertTrue(option.getMessage().contains("--high-noise-weight"), option.getMessage());
        assertEquals(new TimestepSampling(0, 999, 20),
                TrainingOptions.parse("--out", "x", "--high-noise-weight", "20").timesteps());
    }
}
