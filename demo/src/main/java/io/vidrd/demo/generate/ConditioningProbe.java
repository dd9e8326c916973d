package io.vidrd.demo.generate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vidrd.demo.data.BackgroundColor;
import io.vidrd.demo.data.ClipAttributes;
import io.vidrd.demo.data.Motion;
import io.vidrd.demo.data.ObjectColor;
import io.vidrd.demo.data.ShapeKind;
import io.vidrd.demo.data.Texture;
import io.vidrd.engine.model.ModelDirectory;
import io.vidrd.engine.model.VidrdModelLoader;
import io.vidrd.engine.model.VidrdModels;
import io.vidrd.engine.tokenizer.ClipTokenizer;
import io.vidrd.engine.unet.UNetConfig;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.Torch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * How much each part of a caption steers the model: for 8 captions, the text encoder's output and
 * the U-Net's ε prediction (same noisy latent, timesteps 999 to 400) are compared with those of
 * the caption with one slot changed (object colour, shape, direction to its opposite, background).
 * Relative L2 differences, averaged over the captions. A slot the model ignores scores near 0: a
 * quick measure, without generating videos, of whether training has reached the prompt's motion
 * direction yet.
 *
 * <p>Usage: {@code ConditioningProbe MODEL_DIR [LATENT_SIDE]} (default 16: the demo model's
 * 32×32 frames under its VAE's scale 2)
 */
public final class ConditioningProbe {

    /** Timesteps the U-Net is probed at, from pure noise to mid-range. */
    static final int[] TIMESTEPS = {999, 900, 700, 400};
    /** The 8 directions of travel, each followed by its opposite. */
    static final Motion[] DIRECTIONS = {Motion.RIGHT, Motion.LEFT, Motion.UP, Motion.DOWN, Motion.UP_RIGHT,
        Motion.DOWN_LEFT, Motion.UP_LEFT, Motion.DOWN_RIGHT};

    private ConditioningProbe() {
    }

    /**
     * The probe's result for one caption slot.
     *
     * @param slot which part of the caption changed
     * @param text mean relative L2 difference of the text encoder's output
     * @param epsilon mean relative L2 difference of the U-Net's ε, per {@link #TIMESTEPS} entry
     */
    public record Result(String slot, double text, double[] epsilon) {
    }

    /**
     * @param args the model directory
     * @throws IOException if the model cannot be loaded
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: ConditioningProbe MODEL_DIR [LATENT_SIDE]");
            System.exit(2);
        }
        List<Result> results = probe(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 16);
        System.out.printf(Locale.ROOT, "| changed slot | text encoder | %s |%n| --- | --- |%s%n",
                String.join(" | ", Arrays.stream(TIMESTEPS).mapToObj(t -> "ε at t=" + t).toList()),
                " --- |".repeat(TIMESTEPS.length));
        for (Result r : results) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %.4f |", r.slot(), r.text()));
            for (double e : r.epsilon()) {
                row.append(String.format(Locale.ROOT, " %.4f |", e));
            }
            System.out.println(row);
        }
    }

    /**
     * @param modelDir a model in the official layout, trained on the demo's caption language
     * @param latentSide latent height and width of the probe's noisy sample
     * @return one result per slot: colour, shape, direction, background
     * @throws IOException if the model cannot be loaded
     */
    public static List<Result> probe(Path modelDir, int latentSide) throws IOException {
        ModelDirectory dir = ModelDirectory.of(modelDir);
        ClipTokenizer tokenizer = ClipTokenizer.load(dir.tokenizer());
        Map<String, UnaryOperator<ClipAttributes>> slots = new LinkedHashMap<>();
        ObjectColor[] colors = ObjectColor.values();
        ShapeKind[] shapes = ShapeKind.values();
        BackgroundColor[] backgrounds = BackgroundColor.values();
        slots.put("colour", a -> new ClipAttributes(a.shape(), colors[(a.color().ordinal() + 1) % colors.length],
                a.background(), a.texture(), a.motion()));
        slots.put("shape", a -> new ClipAttributes(shapes[(a.shape().ordinal() + 1) % shapes.length], a.color(),
                a.background(), a.texture(), a.motion()));
        slots.put("direction (opposite)", a -> new ClipAttributes(a.shape(), a.color(), a.background(), a.texture(),
                opposite(a.motion())));
        slots.put("background", a -> new ClipAttributes(a.shape(), a.color(),
                backgrounds[(a.background().ordinal() + 1) % backgrounds.length], a.texture(), a.motion()));
        List<ClipAttributes> bases = new ArrayList<>();
        for (int i = 0; i < DIRECTIONS.length; i++) {
            bases.add(new ClipAttributes(shapes[i % shapes.length], colors[i], backgrounds[i % backgrounds.length],
                    Texture.PLAIN, DIRECTIONS[i]));
        }
        List<Result> out = new ArrayList<>();
        try (NDManager m = Torch.newManager(Device.cpu());
                VidrdModels models = VidrdModelLoader.load(dir, UNetConfig.TemporalFlags.official(), m, Precision.FP32)) {
            int channels = models.unet().config().inChannels();
            int frames = 8;
            int side = latentSide;
            for (Map.Entry<String, UnaryOperator<ClipAttributes>> slot : slots.entrySet()) {
                double text = 0;
                double[] eps = new double[TIMESTEPS.length];
                for (int b = 0; b < bases.size(); b++) {
                    ClipAttributes base = bases.get(b);
                    try (NDManager step = m.newSubManager()) {
                        NDArray c0 = encode(models, tokenizer, step, base.caption());
                        NDArray c1 = encode(models, tokenizer, step, slot.getValue().apply(base).caption());
                        text += relative(c1, c0);
                        step.getEngine().setRandomSeed(1000 + b);
                        NDArray x = step.randomNormal(new Shape(1, channels, frames, side, side));
                        for (int k = 0; k < TIMESTEPS.length; k++) {
                            NDArray t = step.create(new long[] {TIMESTEPS[k]});
                            eps[k] += relative(models.unet().forward(x, t, c1), models.unet().forward(x, t, c0));
                        }
                    }
                }
                for (int k = 0; k < eps.length; k++) {
                    eps[k] /= bases.size();
                }
                out.add(new Result(slot.getKey(), text / bases.size(), eps));
            }
        }
        return out;
    }

    static Motion opposite(Motion m) {
        for (Motion o : Motion.values()) {
            if (o.translates() && o.dx() == -m.dx() && o.dy() == -m.dy()) {
                return o;
            }
        }
        throw new IllegalArgumentException(m + " has no opposite direction");
    }

    static NDArray encode(VidrdModels models, ClipTokenizer tokenizer, NDManager m, String caption) {
        int[] ids = tokenizer.encode(caption).ids();
        long[] l = Arrays.stream(ids).asLongStream().toArray();
        return models.textEncoder().forward(m.create(l, new Shape(1, l.length)));
    }

    private static double relative(NDArray a, NDArray reference) {
        return a.sub(reference).norm().getFloat() / reference.norm().getFloat();
    }
}
