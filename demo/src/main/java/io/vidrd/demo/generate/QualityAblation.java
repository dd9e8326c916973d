package io.vidrd.demo.generate;

import io.vidrd.api.GenerationRequest;
import io.vidrd.demo.eval.Evaluator;
import io.vidrd.demo.eval.PromptSet;
import io.vidrd.engine.model.ModelDefaults;
import io.vidrd.runtime.ComputeTarget;
import io.vidrd.vae.codec.CodecKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The long-video ablation of issue 9 point 4 on the CPU: the fixed {@link PromptSet} generated as
 * videos of several clips with VidRD's settings switched off one by one through the request's own
 * fields (independent clips: M = 0, α = 0, so every clip starts from fresh noise; FNR only: M = 4;
 * FNR + PNS: α = 4; FNR + PNS + DSG: β = 0.4, the defaults) and, with the defaults, each VAE kind.
 * Prints a Markdown table: prompt adherence, and adjacent-frame mean absolute difference inside
 * clips and across clip boundaries, and mean motion.
 *
 * <p>Usage: {@code QualityAblation MODEL_DIR [prompts=4] [clips=8] [steps=50] [seed=0] [out.md]}
 */
public final class QualityAblation {

    /**
     * One row of the table.
     *
     * @param name what it shows
     * @param promptFrames M
     * @param noiseReuse α
     * @param stagedGuidance β
     * @param vae the decoder
     */
    record Setting(String name, int promptFrames, double noiseReuse, double stagedGuidance, CodecKind vae) {
    }

    static final List<Setting> SETTINGS = List.of(
            new Setting("VidRD (FNR + PNS + DSG; M 4, α 4, β 0.4), vidrd VAE", 4, 4, 0.4, CodecKind.VIDRD),
            new Setting("independent clips (M 0, α 0, β 0)", 0, 0, 0, CodecKind.VIDRD),
            new Setting("FNR only (M 4, α 0, β 0)", 4, 0, 0, CodecKind.VIDRD),
            new Setting("FNR + PNS (M 4, α 4, β 0)", 4, 4, 0, CodecKind.VIDRD),
            new Setting("VidRD, image VAE", 4, 4, 0.4, CodecKind.IMAGE),
            new Setting("VidRD, temporal VAE (decoder's temporal layers on)", 4, 4, 0.4, CodecKind.TEMPORAL));

    private QualityAblation() {
    }

    /**
     * @param args model directory, then optional prompt count, clips per video, steps, seed, output file
     * @throws Exception if generation fails
     */
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int prompts = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int clips = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : GenerationRequest.DEFAULT_STEPS;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 0;
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%d prompts x %d clips x %d frames, %d steps, guidance %.0f, seed %d, %s, CPU%n%n", prompts, clips,
                8, steps, GenerationRequest.DEFAULT_GUIDANCE_SCALE, seed,
                ModelDefaults.read(model).map(ModelDefaults::toString).orElse("256x256")));
        table.append("| setting | colour | shape | direction | mean abs diff within clips | mean abs diff at boundaries | "
                + "boundary / within | mean motion | seconds |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        System.out.print(table);
        Map<CodecKind, DemoGenerator> generators = new EnumMap<>(CodecKind.class);
        try {
            for (Setting s : SETTINGS) {
                DemoGenerator g = generators.get(s.vae());
                if (g == null) {
                    g = DemoGenerator.open(model, s.vae(), ComputeTarget.cpu());
                    generators.put(s.vae(), g);
                }
                long t0 = System.nanoTime();
                Evaluator.Report r = QualityEvaluation.evaluate(g, PromptSet.motionPrompts(prompts),
                        p -> GenerationRequest.builder(p).clips(clips).steps(steps).seed(seed)
                                .promptFrames(s.promptFrames()).noiseReuse(s.noiseReuse())
                                .stagedGuidance(s.stagedGuidance()).build());
                String row = String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.2f | %.2f | %.2f | %.2f | %.0f |%n",
                        s.name(), r.colorAccuracy(), r.shapeAccuracy(), r.directionAccuracy(), r.withinMeanAbsDiff(),
                        r.boundaryMeanAbsDiff(), r.boundaryMeanAbsDiff() / r.withinMeanAbsDiff(), r.meanMotion(),
                        (System.nanoTime() - t0) / 1e9);
                System.out.print(row);
                table.append(row);
            }
        } finally {
            generators.values().forEach(DemoGenerator::close);
        }
        if (args.length > 5) {
            Files.writeString(Path.of(args[5]), table, StandardCharsets.UTF_8);
        }
    }
}
