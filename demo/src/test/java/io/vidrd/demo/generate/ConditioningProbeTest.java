package io.vidrd.demo.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditioningProbeTest {

    /** The shipped model is steered by its caption (by how much per slot: demo/README.md, "Where it stands"). */
    @Test
    void theShippedModelIsSteeredByTheCaptionsColour() throws Exception {
        List<ConditioningProbe.Result> r = ConditioningProbe.probe(Path.of("model"), 16);
        assertEquals(List.of("colour", "shape", "direction (opposite)", "background"),
                r.stream().map(ConditioningProbe.Result::slot).toList());
        for (ConditioningProbe.Result x : r) {
            assertTrue(x.text() > 0 && Double.isFinite(x.text()), x.toString());
            for (double e : x.epsilon()) {
                assertTrue(e > 0 && Double.isFinite(e), x.slot() + ": " + e);
            }
        }
        double colour = r.get(0).epsilon()[0];
        double direction = r.get(2).epsilon()[0];
        System.out.printf("ε difference at t=999: colour %.4f, direction %.4f%n", colour, direction);
        assertTrue(colour > 0.01, "a colour word changes ε by " + colour);
    }
}
