package io.vidrd.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineInfoTest {

    private static EngineInfo engine(Map<String, String> properties) {
        return new EngineInfo("vidrd-djl", "1.0.0", "demo", "cpu", "float32", properties);
    }

    @Test
    void aRequestWithoutSizeGetsTheEnginesDefaultSize() {
        GenerationRequest r = engine(Map.of(EngineInfo.PROP_DEFAULT_SIZE, "32x48"))
                .withDefaultSize(GenerationRequest.builder("a red circle").steps(7).build());
        assertEquals(32, r.width());
        assertEquals(48, r.height());
        assertEquals(7, r.steps());
    }

    @Test
    void aChosenSizeOrAnEngineWithoutOrWithABadDefaultLeavesTheRequest() {
        GenerationRequest chosen = GenerationRequest.builder("x").size(256, 256).build();
        assertSame(chosen, engine(Map.of(EngineInfo.PROP_DEFAULT_SIZE, "32x32")).withDefaultSize(chosen));
        GenerationRequest plain = GenerationRequest.builder("x").build();
        assertSame(plain, engine(Map.of()).withDefaultSize(plain));
        for (String bad : new String[] {"32", "ax32", "30x32", "32x32x1"}) {
            assertEquals(256, engine(Map.of(EngineInfo.PROP_DEFAULT_SIZE, bad))
                    .withDefaultSize(plain).width(), bad);
        }
    }
}
