package io.vidrd.engine.golden;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vidrd.engine.model.ModelDirectory;
import io.vidrd.engine.model.VidrdModelLoader;
import io.vidrd.engine.model.VidrdModels;
import io.vidrd.engine.sampling.ClipConditioning;
import io.vidrd.engine.sampling.PromptEncoder;
import io.vidrd.engine.sampling.SamplingListener;
import io.vidrd.engine.sampling.SamplingPlan;
import io.vidrd.engine.sampling.StepTrace;
import io.vidrd.engine.sampling.VidrdSampler;
import io.vidrd.engine.schedule.DdimSchedule;
import io.vidrd.engine.tokenizer.ClipTokenizer;
import io.vidrd.engine.tokenizer.TokenizedPrompt;
import io.vidrd.engine.unet.UNetConfig;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.RecordedNoiseSource;
import io.vidrd.runtime.codec.DecodeOptions;
import io.vidrd.runtime.codec.LatentCodec;
import io.vidrd.runtime.golden.CaseResult;
import io.vidrd.runtime.golden.GoldenSet;
import io.vidrd.runtime.golden.TensorResult;
import io.vidrd.runtime.golden.Tolerance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the engine's golden cases of a golden folder and compares every output with the folder's
 * tolerances. Cases are recognised by name as the golden README defines them: {@code tokenizer}
 * (ids exact), {@code text_encoder}, {@code unet*} (one U-Net call) and {@code pipe*} (the
 * sampling loop; parameters, prompts, shapes and recorded draws all come from {@code golden.json}
 * and the tensor file). Decoder cases belong to the VAE bundle and are not listed.
 *
 * <p>A pipeline case's {@code <case>.videos} (the decoded frames of every clip, concatenated
 * along the frame axis) is checked by decoding each clip's final latents with the
 * {@link LatentCodec} the caller gives, as the engine's job pipeline does; the official pipeline's
 * decoder is the {@link LatentCodec#KIND_VIDRD vidrd} kind. Without a codec those tensors are
 * reported as failed, never skipped, so a run without a decoder cannot pass by omission.
 *
 * <p>The models are the folder's own files (official layout), loaded once, in fp32, on the
 * manager's device. Not thread-safe.
 */
public final class EngineGoldenRunner implements AutoCloseable {

    private static final Pattern ROWS = Pattern.compile("rows \\[([0-9,\\s]+)\\] of ([\\w.]+)");
    private static final Pattern STEP_TENSOR = Pattern.compile("(clip\\d+\\.)?(step\\d+\\.\\w+|final_latents)");

    private final GoldenSet golden;
    private final NDManager manager;
    private final LatentCodec decoder;
    private final Precision precision;
    private VidrdModels models;
    private ClipTokenizer tokenizer;
    private DdimSchedule schedule;

    private EngineGoldenRunner(GoldenSet golden, NDManager manager, LatentCodec decoder, Precision precision) {
        this.precision = precision;
        this.golden = golden;
        this.manager = manager;
        this.decoder = decoder;
    }

    /**
     * @param dir a golden folder (golden.json, golden.safetensors and the model files)
     * @param parent the manager whose device runs the cases; the runner works on a sub-manager
     * @param decoder decodes the pipeline cases' final latents for their {@code videos} tensors
     *     (the {@code vidrd} kind, for this folder's model); {@code null} fails those tensors.
     *     The caller keeps ownership.
     * @return the runner; close it to release the models
     * @throws IOException if the folder is not a golden folder
     */
    public static EngineGoldenRunner open(Path dir, NDManager parent, LatentCodec decoder) throws IOException {
        return open(dir, parent, decoder, Precision.FP32);
    }

    /**
     * Same as {@link #open(Path, NDManager, LatentCodec)} with the models in a reduced precision
     * (fp16/bf16 on a GPU manager); the golden tolerances are fp32's, so callers judge such runs
     * by their own looser bounds.
     *
     * @param dir a golden folder
     * @param parent the manager whose device runs the cases
     * @param decoder decodes the pipeline cases' videos, or {@code null}
     * @param precision precision of the models' weights and activations
     * @return the runner; close it to release the models
     * @throws IOException if the folder is not a golden folder
     */
    public static EngineGoldenRunner open(Path dir, NDManager parent, LatentCodec decoder, Precision precision)
            throws IOException {
        return new EngineGoldenRunner(GoldenSet.open(dir), parent.newSubManager(), decoder, precision);
    }

    /** @return the golden folder */
    public GoldenSet golden() {
        return golden;
    }

    /** @return the cases of the folder this runner can check, in file order */
    public List<String> engineCases() {
        return golden.caseNames().stream().filter(EngineGoldenRunner::isEngineCase).toList();
    }

    /** @param name a case name @return whether it is an engine case */
    public static boolean isEngineCase(String name) {
        return name.equals("tokenizer") || name.equals("text_encoder") || name.startsWith("unet")
                || name.startsWith("pipe");
    }

    /** @return the results of every engine case */
    public List<CaseResult> runAll() {
        return engineCases().stream().map(this::run).toList();
    }

    /**
     * Runs one case; failures of any kind (a missing tensor, an exception in the engine) come back
     * as failed results rather than exceptions.
     *
     * @param name a case of {@link #engineCases()}
     * @return its results
     */
    public CaseResult run(String name) {
        return golden.runCase(name, name, manager, (m, p, results) -> {
            if (name.equals("tokenizer")) {
                tokenizerCase(p, results);
            } else if (name.equals("text_encoder")) {
                textEncoderCase(m, p, results);
            } else if (name.startsWith("unet")) {
                unetCase(m, p, results);
            } else if (name.startsWith("pipe")) {
                pipelineCase(m, name, p, results);
            } else {
                throw new IllegalArgumentException(name + " is not an engine case");
            }
        });
    }

    private void tokenizerCase(JsonObject p, List<TensorResult> results) throws IOException {
        String out = GoldenSet.tensorName(p.get("out").getAsString());
        JsonObject section = golden.section("tokenizer").orElseThrow().getAsJsonObject();
        JsonArray prompts = section.getAsJsonArray("prompts");
        JsonArray details = section.has("details") ? section.getAsJsonArray("details") : new JsonArray();
        long[] shape = golden.shape(out);
        double[] ids = new double[Math.toIntExact(shape[0] * shape[1])];
        List<String> wrongTruncation = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            TokenizedPrompt t = tokenizer().encode(prompts.get(i).getAsString());
            int[] row = t.ids();
            for (int j = 0; j < row.length && j < shape[1]; j++) {
                ids[(int) (i * shape[1] + j)] = row[j];
            }
            if (i < details.size() && details.get(i).getAsJsonObject().has("truncated")
                    && details.get(i).getAsJsonObject().get("truncated").getAsBoolean() != t.truncated()) {
                wrongTruncation.add("prompt " + i);
            }
        }
        results.add(compare(out, ids, new long[] {prompts.size(), tokenizer().maxLength()}));
        if (!details.isEmpty()) {
            results.add(TensorResult.check(out + " (truncation flags)", wrongTruncation.isEmpty(),
                    wrongTruncation.isEmpty() ? "" : "differ for " + wrongTruncation));
        }
    }

    private void textEncoderCase(NDManager m, JsonObject p, List<TensorResult> results) throws IOException {
        String in = GoldenSet.tensorName(p.get("in").getAsString());
        String out = GoldenSet.tensorName(p.get("out").getAsString());
        results.add(compare(out, models().textEncoder().forward(golden.tensor(m, in))));
    }

    private void unetCase(NDManager m, JsonObject p, List<TensorResult> results) throws IOException {
        JsonArray in = p.getAsJsonArray("in");
        String sample = GoldenSet.tensorName(in.get(0).getAsString());
        String timesteps = GoldenSet.tensorName(in.get(1).getAsString());
        String text = GoldenSet.tensorName(in.get(2).getAsString());
        Matcher rows = ROWS.matcher(in.get(2).getAsString());
        if (rows.find()) {
            // the text states are themselves an output of the text encoder for some of its inputs
            Optional<JsonObject> te = golden.caseParameters("text_encoder");
            if (te.isPresent() && rows.group(2).equals(GoldenSet.tensorName(te.get().get("out").getAsString()))) {
                long[] idx = Arrays.stream(rows.group(1).split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
                NDArray ids = golden.tensor(m, GoldenSet.tensorName(te.get().get("in").getAsString()))
                        .get(m.create(idx));
                results.add(compare(text, models().textEncoder().forward(ids)));
            }
        }
        String out = GoldenSet.tensorName(p.get("out").getAsString());
        NDArray eps = models().unet().forward(golden.tensor(m, sample), golden.tensor(m, timesteps),
                golden.tensor(m, text));
        results.add(compare(out, eps));
    }

    private void pipelineCase(NDManager m, String name, JsonObject p, List<TensorResult> results) throws IOException {
        if (p.has("eta") && p.get("eta").getAsDouble() != 0.0) {
            results.add(TensorResult.check(name + ".eta", false, "only eta = 0 is implemented"));
            return;
        }
        List<String> prompts = strings(p.get("prompt"));
        List<String> negatives = p.has("negative_prompt") ? strings(p.get("negative_prompt")) : List.of();
        if (negatives.stream().distinct().count() > 1) {
            results.add(TensorResult.check(name + ".negative_prompt", false, "one negative prompt per batch expected"));
            return;
        }
        String negative = negatives.isEmpty() ? null : negatives.get(0);
        int scale = vaeScaleFactor();
        SamplingPlan plan = new SamplingPlan(p.get("num_frames").getAsInt(), intOr(p, "num_generated_clips", 1),
                p.get("num_inference_steps").getAsInt(), p.get("guidance_scale").getAsDouble(),
                intOr(p, "extend_overlap_frames", 0), doubleOr(p, "extend_noise_recycle", 0),
                doubleOr(p, "extend_denoise_guidance", 0), doubleOr(p, "noise_alpha", 0),
                p.get("height").getAsInt() / scale, p.get("width").getAsInt() / scale, prompts.size());

        if (golden.has(name + ".timesteps")) {
            int[] t = schedule().timesteps(plan.steps());
            results.add(compare(name + ".timesteps", Arrays.stream(t).asDoubleStream().toArray(),
                    new long[] {t.length}));
        }
        List<String> warnings = new ArrayList<>();
        try (PromptEncoder prompter = new PromptEncoder(tokenizer(), models().textEncoder(), m, warnings::add)) {
            NDArray text = prompter.conditioning(prompts, negative, plan.guidanceScale());
            if (golden.has(name + ".prompt_embeds")) {
                results.add(compare(name + ".prompt_embeds", text));
            }
            List<String> draws = golden.tensorNames().stream()
                    .filter(n -> n.matches(Pattern.quote(name) + "\\.noise_\\d+")).sorted().toList();
            List<RecordedNoiseSource.Draw> recorded = new ArrayList<>();
            for (String d : draws) {
                recorded.add(new RecordedNoiseSource.Draw(golden.shape(d), golden.floats(d)));
            }
            RecordedNoiseSource noise = new RecordedNoiseSource(recorded);
            NDArray init = null;
            if (p.has("latents") && !p.get("latents").isJsonNull()) {
                init = golden.tensor(m, p.get("latents").getAsString());
            }
            boolean perClip = plan.clips() > 1 || golden.has(name + ".clip0.final_latents");
            String videos = name + ".videos";
            Recorder recorder = new Recorder(name, perClip, golden.has(videos) ? decoder : null);
            new VidrdSampler(models().unet(), schedule()).sample(m, plan, ClipConditioning.constant(text), noise, init,
                    recorder);
            int expectedDraws = p.has("random_draws") ? p.get("random_draws").getAsInt() : draws.size();
            results.add(TensorResult.check(name + ".noise (draws replayed)",
                    noise.exhausted() && noise.drawCount() == expectedDraws,
                    noise.drawCount() + " of " + draws.size() + " recorded draws consumed, " + expectedDraws
                            + " expected"));
            for (Map.Entry<String, Computed> e : recorder.computed.entrySet()) {
                if (golden.has(e.getKey())) {
                    results.add(compare(e.getKey(), e.getValue().values(), e.getValue().shape()));
                }
            }
            if (golden.has(videos)) {
                if (decoder == null) {
                    results.add(TensorResult.failed(videos, golden.tolerance(videos).orElse(Tolerance.EXACT),
                            "not checked: no latent codec to decode with"));
                } else {
                    Computed v = Computed.concatFrames(recorder.videos);
                    results.add(golden.compare(videos, videos, v.values(), v.shape()));
                }
            }
            String prefix = name + ".";
            for (String g : golden.tensorNames()) {
                if (g.startsWith(prefix) && STEP_TENSOR.matcher(g.substring(prefix.length())).matches()
                        && !recorder.computed.containsKey(g)) {
                    results.add(TensorResult.failed(g, golden.tolerance(g).orElse(Tolerance.EXACT), "not computed"));
                }
            }
        }
    }

    /** Copies every step's tensors and every clip's final latents to the host, under their golden names. */
    private static final class Recorder implements SamplingListener {
        private final String name;
        private final boolean perClip;
        private final LatentCodec decoder;
        private final Map<String, Computed> computed = new LinkedHashMap<>();
        private final List<Computed> videos = new ArrayList<>();

        /** @param decoder decodes each clip as it is done, or null */
        Recorder(String name, boolean perClip, LatentCodec decoder) {
            this.name = name;
            this.perClip = perClip;
            this.decoder = decoder;
        }

        private String prefix(int clip) {
            return perClip ? name + ".clip" + clip + "." : name + ".";
        }

        @Override
        public boolean wantsTraces() {
            return true;
        }

        @Override
        public void onStepTrace(StepTrace t) {
            String p = prefix(t.clip()) + String.format("step%02d.", t.step());
            put(p + "latents_in", t.latentsIn());
            if (t.epsUncond() != null) {
                put(p + "eps_uncond", t.epsUncond());
            }
            put(p + "eps_text", t.epsText());
            put(p + "latents_out", t.latentsOut());
        }

        @Override
        public void onClip(int clip, NDArray finalLatents) {
            put(prefix(clip) + "final_latents", finalLatents);
            if (decoder != null) {
                // decoded here because the sampler frees the latents when this call returns
                videos.add(Computed.of(decoder.decode(finalLatents, DecodeOptions.defaults())));
            }
        }

        private void put(String key, NDArray a) {
            computed.put(key, Computed.of(a));
        }
    }

    private record Computed(double[] values, long[] shape) {
        static Computed of(NDArray a) {
            double[] v = a.toType(DataType.FLOAT64, false).toDoubleArray();
            return new Computed(v, a.getShape().getShape());
        }

        /** Concatenates {@code [B, C, F, H, W]} videos along F, as the pipeline appends clips. */
        static Computed concatFrames(List<Computed> clips) {
            if (clips.isEmpty()) {
                return new Computed(new double[0], new long[] {0});
            }
            long[] first = clips.get(0).shape();
            long frames = 0;
            for (Computed c : clips) {
                long[] s = c.shape();
                if (s.length != 5 || s[0] != first[0] || s[1] != first[1] || s[3] != first[3] || s[4] != first[4]) {
                    throw new IllegalStateException("decoded clips of different shapes: " + Arrays.toString(first)
                            + " and " + Arrays.toString(s));
                }
                frames += s[2];
            }
            int planes = Math.toIntExact(first[0] * first[1]);
            int frameSize = Math.toIntExact(first[3] * first[4]);
            double[] out = new double[Math.toIntExact(planes * frames * frameSize)];
            int pos = 0;
            for (int p = 0; p < planes; p++) {
                for (Computed c : clips) {
                    int block = Math.toIntExact(c.shape()[2]) * frameSize;
                    System.arraycopy(c.values(), p * block, out, pos, block);
                    pos += block;
                }
            }
            return new Computed(out, new long[] {first[0], first[1], frames, first[3], first[4]});
        }
    }

    private TensorResult compare(String name, NDArray actual) {
        return golden.compare(name, actual);
    }

    private TensorResult compare(String name, double[] actual, long[] shape) {
        return golden.compare(name, name, actual, shape);
    }

    private VidrdModels models() throws IOException {
        if (models == null) {
            models = VidrdModelLoader.load(ModelDirectory.of(golden.dir()), temporalFlags(), manager, precision);
        }
        return models;
    }

    private ClipTokenizer tokenizer() throws IOException {
        if (tokenizer == null) {
            tokenizer = ClipTokenizer.load(ModelDirectory.of(golden.dir()).tokenizer());
        }
        return tokenizer;
    }

    private DdimSchedule schedule() throws IOException {
        if (schedule == null) {
            schedule = DdimSchedule.load(ModelDirectory.of(golden.dir()).schedulerConfig());
        }
        return schedule;
    }

    private UNetConfig.TemporalFlags temporalFlags() {
        UNetConfig.TemporalFlags d = UNetConfig.TemporalFlags.official();
        Optional<JsonObject> f = golden.section("configs").map(JsonElement::getAsJsonObject)
                .map(c -> c.getAsJsonObject("unet_3d_flags"));
        if (f.isEmpty()) {
            return d;
        }
        JsonObject o = f.get();
        return new UNetConfig.TemporalFlags(bool(o, "add_temp_embed", d.addTempEmbed()),
                bool(o, "add_temp_conv", d.addTempConv()), bool(o, "add_temp_transformer", d.addTempTransformer()),
                bool(o, "add_temp_attn_only_on_upblocks", d.addTempAttnOnlyOnUpblocks()),
                bool(o, "prepend_first_frame", d.prependFirstFrame()));
    }

    /** The pixel-to-latent factor: {@code configs.vae_scale_factor}, else 2^(VAE levels − 1), else 8. */
    private int vaeScaleFactor() {
        Optional<JsonObject> configs = golden.section("configs").map(JsonElement::getAsJsonObject);
        if (configs.isPresent() && configs.get().has("vae_scale_factor")) {
            return configs.get().get("vae_scale_factor").getAsInt();
        }
        if (configs.isPresent() && configs.get().has("vae_temporal")) {
            return 1 << (configs.get().getAsJsonObject("vae_temporal").getAsJsonArray("block_out_channels").size() - 1);
        }
        return 8;
    }

    private static List<String> strings(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return List.of();
        }
        if (e.isJsonArray()) {
            List<String> out = new ArrayList<>();
            e.getAsJsonArray().forEach(x -> out.add(x.getAsString()));
            return out;
        }
        return List.of(e.getAsString());
    }

    private static int intOr(JsonObject o, String key, int fallback) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsInt() : fallback;
    }

    private static double doubleOr(JsonObject o, String key, double fallback) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsDouble() : fallback;
    }

    private static boolean bool(JsonObject o, String key, boolean fallback) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsBoolean() : fallback;
    }

    /** Releases the models and the tensor file. */
    @Override
    public void close() {
        try {
            manager.close();
        } finally {
            golden.close();
        }
    }
}
