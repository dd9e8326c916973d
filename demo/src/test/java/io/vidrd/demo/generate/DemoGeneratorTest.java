package io.vidrd.demo.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vidrd.api.Frame;
import io.vidrd.api.GenerationRequest;
import io.vidrd.demo.train.DemoModelSpec;
import io.vidrd.demo.train.DemoModelWriter;
import io.vidrd.runtime.ComputeTarget;
import io.vidrd.vae.codec.CodecKind;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoGeneratorTest {

    @Test
    void aFreshDemoModelGeneratesEveryClipReproduciblyFromItsSeed(@TempDir Path tmp) throws Exception {
        DemoModelSpec spec = DemoModelSpec.tiny();
        DemoModelWriter.write(tmp, spec, 3);
        GenerationRequest.Builder request = GenerationRequest.builder("a red circle moving to the right on a black background")
                .size(32, 32).framesPerClip(spec.frames()).clips(2).promptFrames(2).steps(3);
        try (DemoGenerator generator = DemoGenerator.open(tmp, CodecKind.VIDRD, ComputeTarget.cpu())) {
            List<Frame> a = generator.generate(request.seed(1).build());
            List<Frame> b = generator.generate(request.seed(1).build());
            List<Frame> c = generator.generate(request.seed(2).build());
            assertEquals(2 * spec.frames(), a.size());
            assertEquals(32, a.get(0).width(), "the API's smallest size (the tiny model was trained at 16)");
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i).rgb(), b.get(i).rgb(), "frame " + i);
            }
            assertFalse(Arrays.equals(a.get(0).rgb(), c.get(0).rgb()), "another seed, other frames");
        }
    }
}
