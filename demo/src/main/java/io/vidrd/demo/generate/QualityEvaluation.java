package io.vidrd.demo.generate;

import io.vidrd.api.GenerationRequest;
import io.vidrd.demo.eval.Evaluator;
import io.vidrd.demo.eval.PromptSet;
import io.vidrd.demo.eval.RgbVideo;
import io.vidrd.runtime.ComputeTarget;
import io.vidrd.vae.codec.CodecKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Generates the fixed {@link PromptSet} with a model and scores the videos with the
 * {@link Evaluator}: prompt adherence (colour, shape, motion, direction) per clip, smoothness at
 * clip boundaries against inside clips, and motion.
 *
 * <p>Usage: {@code QualityEvaluation MODEL_DIR [prompts=16] [clips=1] [steps=50] [seed=0] [vae=vidrd] [guidance=10]}
 */
public final class QualityEvaluation {

    private QualityEvaluation() {
    }

    /**
     * @param args model directory, then optional prompt count, clips per video, steps, seed, VAE kind,
     *     guidance scale
     * @throws Exception if generation fails
     */
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int prompts = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int clips = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : GenerationRequest.DEFAULT_STEPS;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 0;
        CodecKind vae = args.length > 5 ? CodecKind.valueOf(args[5].toUpperCase(Locale.ROOT)) : CodecKind.VIDRD;
        double guidance = args.length > 6 ? Double.parseDouble(args[6]) : GenerationRequest.DEFAULT_GUIDANCE_SCALE;
        long t0 = System.nanoTime();
        try (DemoGenerator generator = DemoGenerator.open(model, vae, ComputeTarget.cpu())) {
            Evaluator.Report report = evaluate(generator, PromptSet.motionPrompts(prompts),
                    p -> GenerationRequest.builder(p).clips(clips).steps(steps).seed(seed)
                            .guidanceScale(guidance).build());
            System.out.println(report.summary());
            report.misses().forEach(m -> System.out.println("  miss: " + m));
        }
        System.out.printf(Locale.ROOT, "%.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /**
     * @param generator the model
     * @param prompts the prompts
     * @param request the request for a prompt
     * @return the evaluator's report over one video per prompt
     */
    public static Evaluator.Report evaluate(DemoGenerator generator, List<String> prompts,
            java.util.function.Function<String, GenerationRequest> request) {
        List<Evaluator.Case> cases = new ArrayList<>();
        int framesPerClip = 0;
        for (String p : prompts) {
            GenerationRequest r = request.apply(p);
            framesPerClip = r.framesPerClip();
            cases.add(new Evaluator.Case(p, RgbVideo.ofFrames(generator.generate(r))));
        }
        return Evaluator.evaluate(cases, framesPerClip);
    }
}
