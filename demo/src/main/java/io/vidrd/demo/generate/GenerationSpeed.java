package io.vidrd.demo.generate;

import io.vidrd.api.Frame;
import io.vidrd.api.GenerationRequest;
import io.vidrd.runtime.ComputeTarget;
import io.vidrd.vae.codec.CodecKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark (issue 9 point 5): seconds to generate a video of several clips from a model on the
 * CPU, model loading excluded, with the request defaults except size and clip count. Prints one
 * line per run; the first run includes warm-up.
 *
 * <p>Usage: {@code GenerationSpeed MODEL_DIR [clips=4] [runs=3] [size=32] [steps=50]}
 */
public final class GenerationSpeed {

    private GenerationSpeed() {
    }

    /**
     * @param args model directory, then optional clips, runs, size, steps
     * @throws Exception if generation fails
     */
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int clips = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        int steps = args.length > 4 ? Integer.parseInt(args[4]) : GenerationRequest.DEFAULT_STEPS;
        long load = System.nanoTime();
        try (DemoGenerator generator = DemoGenerator.open(model, CodecKind.VIDRD, ComputeTarget.cpu())) {
            System.out.printf(Locale.ROOT, "model loaded in %.2f s%n", (System.nanoTime() - load) / 1e9);
            for (int r = 0; r < runs; r++) {
                GenerationRequest request = GenerationRequest.builder("a red circle moving to the right on a dark blue background")
                        .size(size, size).clips(clips).steps(steps).seed(r).build();
                long t0 = System.nanoTime();
                List<Frame> frames = generator.generate(request);
                System.out.printf(Locale.ROOT, "run %d: %d clips x %d frames (%d frames, %dx%d), %d steps: %.2f s%n", r,
                        clips, request.framesPerClip(), frames.size(), size, size, steps, (System.nanoTime() - t0) / 1e9);
            }
        }
    }
}
