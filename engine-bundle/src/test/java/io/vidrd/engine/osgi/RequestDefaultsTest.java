package io.vidrd.engine.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vidrd.api.GenerationRequest;
import org.junit.jupiter.api.Test;

/** Configured defaults fill only what a request left unset. */
class RequestDefaultsTest {

    private final RequestDefaults config = new RequestDefaults(20, 7.5, 2, 1.0, 0.2);

    @Test
    void unsetFieldsTakeTheConfiguredDefaults() {
        GenerationRequest r = config.apply(GenerationRequest.builder("a cat").build());
        assertEquals(20, r.steps());
        assertEquals(7.5, r.guidanceScale());
        assertEquals(2, r.promptFrames());
        assertEquals(1.0, r.noiseReuse());
        assertEquals(0.2, r.stagedGuidance());
    }

    @Test
    void valuesTheCallerChoseAreKeptEvenWhenEqualToTheApiDefault() {
        GenerationRequest asked = GenerationRequest.builder("a cat").steps(GenerationRequest.DEFAULT_STEPS)
                .guidanceScale(GenerationRequest.DEFAULT_GUIDANCE_SCALE).promptFrames(4).noiseReuse(4).stagedGuidance(0.4)
                .build();
        assertSame(asked, config.apply(asked));
    }

    @Test
    void apiDefaultsChangeNothing() {
        GenerationRequest r = GenerationRequest.builder("a cat").build();
        assertSame(r, RequestDefaults.API.apply(r));
    }
}
