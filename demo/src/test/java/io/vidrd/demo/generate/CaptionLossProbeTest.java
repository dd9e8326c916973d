package io.vidrd.demo.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CaptionLossProbeTest {

    @Test
    void theShippedModelPredictsNoiseBetterWithItsCaptionThanWithoutOne() throws Exception {
        CaptionLossProbe.Result r = CaptionLossProbe.probe(Path.of("model"), 4);
        System.out.println("true " + Arrays.toString(r.trueCaption()) + "\nopposite direction "
                + Arrays.toString(r.oppositeDirection()) + "\nempty " + Arrays.toString(r.emptyCaption()));
        assertEquals(CaptionLossProbe.TIMESTEPS.length, r.trueCaption().length);
        for (int k = 0; k < r.trueCaption().length; k++) {
            assertTrue(r.trueCaption()[k] > 0 && Double.isFinite(r.oppositeDirection()[k]), "t index " + k);
            // colour, shape and background are in both captions: the caption must help at every noise level
            assertTrue(r.emptyCaption()[k] > 1.05 * r.trueCaption()[k], "caption unused at t=" + CaptionLossProbe.TIMESTEPS[k]);
        }
    }
}
