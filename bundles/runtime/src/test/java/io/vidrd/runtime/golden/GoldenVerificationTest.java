package io.vidrd.runtime.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison and the verifier services' result format. */
class GoldenVerificationTest {

    @Test
    void comparesByMaxAbsAndRelativeL2() {
        TensorResult r = TensorResult.compare("t", new double[] {1, 2.001}, new long[] {2}, new double[] {1, 2},
                new long[] {2}, new Tolerance(2e-3, 1e-3));
        assertTrue(r.passed(), r.toString());
        assertEquals(1e-3, r.maxAbs(), 1e-12);
        assertEquals(1e-3 / Math.sqrt(5), r.relL2(), 1e-12);
        assertFalse(TensorResult.compare("t", new double[] {1, 2.001}, new long[] {2}, new double[] {1, 2},
                new long[] {2}, new Tolerance(2e-3, 1e-4)).passed(), "relative bound is enforced");
        assertFalse(TensorResult.compare("t", new double[] {1, 2.001}, new long[] {2}, new double[] {1, 2},
                new long[] {2}, new Tolerance(5e-4, 1e-3)).passed(), "absolute bound is enforced");
    }

    @Test
    void exactToleranceAndShapesAndNaN() {
        assertFalse(TensorResult.compare("ids", new double[] {1, 3}, new long[] {2}, new double[] {1, 2},
                new long[] {2}, Tolerance.EXACT).passed());
        assertTrue(TensorResult.compare("ids", new double[] {1, 2}, new long[] {2}, new double[] {1, 2},
                new long[] {2}, Tolerance.EXACT).passed());
        TensorResult shape = TensorResult.compare("t", new double[] {1, 2}, new long[] {1, 2}, new double[] {1, 2},
                new long[] {2}, new Tolerance(1, 1));
        assertFalse(shape.passed());
        assertTrue(shape.detail().contains("shape"), shape.detail());
        assertFalse(TensorResult.compare("t", new double[] {Double.NaN}, new long[] {1}, new double[] {1},
                new long[] {1}, new Tolerance(1, 1)).passed(), "NaN never passes");
    }

    @Test
    void resultMapsListTensorsThenTheCase() {
        CaseResult c = new CaseResult("unet", List.of(
                TensorResult.compare("unet.out", new double[] {1}, new long[] {1}, new double[] {1}, new long[] {1},
                        new Tolerance(1e-5, 1e-6)),
                TensorResult.check("unet.draws", false, "2 of 3")), 1.5);
        List<Map<String, Object>> maps = GoldenVerification.toMaps(List.of(c));
        assertEquals(3, maps.size());
        Map<String, Object> t = maps.get(0);
        assertEquals(GoldenVerification.TYPE_TENSOR, t.get(GoldenVerification.KEY_TYPE));
        assertEquals("unet", t.get(GoldenVerification.KEY_CASE));
        assertEquals("unet.out", t.get(GoldenVerification.KEY_TENSOR));
        assertEquals(0.0, t.get(GoldenVerification.KEY_MAX_ABS));
        assertEquals(1e-5, t.get(GoldenVerification.KEY_ATOL));
        assertEquals(1e-6, t.get(GoldenVerification.KEY_REL_TOL));
        assertEquals(Boolean.TRUE, t.get(GoldenVerification.KEY_PASSED));
        assertEquals("2 of 3", maps.get(1).get(GoldenVerification.KEY_DETAIL));
        Map<String, Object> k = maps.get(2);
        assertEquals(GoldenVerification.TYPE_CASE, k.get(GoldenVerification.KEY_TYPE));
        assertEquals(Boolean.FALSE, k.get(GoldenVerification.KEY_PASSED));
        assertEquals(1.5, k.get(GoldenVerification.KEY_SECONDS));
    }

    @Test
    void argumentsAreChecked(@TempDir Path tmp) throws Exception {
        assertThrows(IllegalArgumentException.class, () -> GoldenVerification.dir(Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GoldenVerification.dir(Map.of(GoldenVerification.ARG_DIR, tmp.toString())));
        assertTrue(e.getMessage().contains("not a golden folder"), e.getMessage());
        Files.writeString(tmp.resolve(GoldenSet.DESCRIPTION), "{}");
        Files.write(tmp.resolve(GoldenSet.TENSORS), new byte[0]);
        assertEquals(tmp.toAbsolutePath().normalize(),
                GoldenVerification.dir(Map.of(GoldenVerification.ARG_DIR, tmp.toString())));
        List<String> lines = new ArrayList<>();
        Consumer<String> sink = lines::add;
        GoldenVerification.progress(Map.of(GoldenVerification.ARG_PROGRESS, sink)).accept("x");
        GoldenVerification.progress(Map.of()).accept("dropped");
        assertEquals(List.of("x"), lines);
    }
}
