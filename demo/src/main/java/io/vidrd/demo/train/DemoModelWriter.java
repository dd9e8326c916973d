package io.vidrd.demo.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vidrd.demo.text.BpeVocabularyBuilder;
import io.vidrd.demo.text.CaptionCorpus;
import io.vidrd.engine.model.ModelDefaults;
import io.vidrd.engine.model.ModelDirectory;
import io.vidrd.engine.model.VidrdModelLoader;
import io.vidrd.engine.schedule.SchedulerConfig;
import io.vidrd.engine.text.ClipTextConfig;
import io.vidrd.engine.unet.UNetConfig;
import io.vidrd.runtime.checkpoint.Checkpoints;
import io.vidrd.runtime.checkpoint.SafetensorsWriter;
import io.vidrd.runtime.checkpoint.StateDict;
import io.vidrd.runtime.checkpoint.TensorRecord;
import io.vidrd.vae.model.VaeFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a freshly initialised demo model in the official VidRD layout ({@link ModelDirectory}):
 * {@code ModelT2V.safetensors} with the U-Net under {@code unet.}, and in
 * {@code stable-diffusion-2-1-base/} the text encoder ({@code text_encoder/}), the caption BPE
 * tokenizer, SD 2.1-base's scheduler values, {@code unet/config.json} and the image VAE
 * ({@code vae/}); the temporal VAE in {@code vae_finetuned/}. Everything loads with the engine's
 * and the vae bundle's normal loaders.
 */
public final class DemoModelWriter {

    /** The checkpoint file name in the model directory. */
    public static final String CHECKPOINT = "ModelT2V.safetensors";
    /** The image VAE folder inside the SD folder. */
    public static final String IMAGE_VAE = "vae";
    /** The text encoder weights file name. */
    public static final String TEXT_WEIGHTS = "model.safetensors";

    private static final Gson PRETTY = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create();

    private DemoModelWriter() {
    }

    /**
     * @param root the model directory (created)
     * @param spec the sizes
     * @param seed initialisation seed
     * @throws IOException on write failure
     */
    public static void write(Path root, DemoModelSpec spec, long seed) throws IOException {
        Path sd = root.resolve(ModelDirectory.SD_FOLDER);
        BpeVocabularyBuilder.Vocabulary vocab = new BpeVocabularyBuilder(1000, 2).build(CaptionCorpus.captions());
        vocab.write(sd.resolve("tokenizer"), spec.tokens());
        Files.createDirectories(sd.resolve("scheduler"));
        write(sd.resolve("scheduler").resolve(SchedulerConfig.FILE_NAME), schedulerConfig());
        Files.createDirectories(sd.resolve("unet"));
        UNetConfig unet = spec.unetConfig();
        write(sd.resolve("unet/config.json"), unetConfig(unet));
        Files.createDirectories(sd.resolve("text_encoder"));
        ClipTextConfig text = spec.textConfig(vocab.size());
        write(sd.resolve("text_encoder/config.json"), textConfig(text));
        write(sd.resolve("model_index.json"), modelIndex());
        ParameterInit.write(sd.resolve("text_encoder").resolve(TEXT_WEIGHTS), TextEncoderLayout.shapes(text), "",
                module -> false, seed + 1);
        ParameterInit.write(root.resolve(CHECKPOINT), UNetLayout.shapes(unet), VidrdModelLoader.UNET_PREFIX,
                UNetLayout::isTemporalOutput, seed + 2);
        // the launcher's default frame size for this model (it was trained at spec.size())
        Files.writeString(root.resolve(ModelDefaults.FILE), "size=" + spec.size() + "x" + spec.size() + "\n",
                StandardCharsets.UTF_8);
        VaeInit.write(sd.resolve(IMAGE_VAE), spec.vaeChannels(), 1, spec.latentChannels(), 32, false, seed + 3);
        VaeInit.write(root.resolve("vae_finetuned"), spec.vaeChannels(), 1, spec.latentChannels(), 32, true, seed + 4);
    }

    /**
     * Makes the temporal VAE the trained image VAE plus its own (zero-output) temporal layers: the
     * starting point of the paper's decoder fine-tuning, and sets both configurations' latent
     * scaling factor.
     *
     * @param root the model directory
     * @param scalingFactor 1 / the standard deviation of the image VAE's latents
     * @throws IOException on read or write failure
     */
    public static void inflateTemporalVae(Path root, double scalingFactor) throws IOException {
        Path image = root.resolve(ModelDirectory.SD_FOLDER).resolve(IMAGE_VAE);
        Path temporal = root.resolve("vae_finetuned");
        SafetensorsWriter w;
        try (StateDict trained = Checkpoints.open(image.resolve(VaeFiles.SAFETENSORS));
                StateDict fresh = Checkpoints.open(temporal.resolve(VaeFiles.SAFETENSORS))) {
            w = SafetensorsWriter.copyOf(trained);
            for (Map.Entry<String, TensorRecord> e : fresh.tensors().entrySet()) {
                if (VaeLayout.isTemporal(e.getKey())) {
                    w.put(e.getValue());
                }
            }
        }
        w.write(temporal.resolve(VaeFiles.SAFETENSORS));
        setScalingFactor(image, scalingFactor);
        setScalingFactor(temporal, scalingFactor);
    }

    private static void setScalingFactor(Path vaeDir, double factor) throws IOException {
        Path file = vaeDir.resolve(VaeFiles.CONFIG);
        JsonObject c = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        c.addProperty("scaling_factor", factor);
        write(file, c);
    }

    private static void write(Path file, JsonObject json) throws IOException {
        Files.writeString(file, PRETTY.toJson(json) + "\n", StandardCharsets.UTF_8);
    }

    private static JsonObject schedulerConfig() {
        // SD 2.1-base's values: the DDIM sampler and the training noise schedule both read them
        JsonObject c = new JsonObject();
        c.addProperty("_class_name", "PNDMScheduler");
        c.addProperty("_diffusers_version", "0.14.0");
        c.addProperty("beta_end", 0.012);
        c.addProperty("beta_schedule", "scaled_linear");
        c.addProperty("beta_start", 0.00085);
        c.addProperty("clip_sample", false);
        c.addProperty("num_train_timesteps", 1000);
        c.addProperty("prediction_type", "epsilon");
        c.addProperty("set_alpha_to_one", false);
        c.addProperty("skip_prk_steps", true);
        c.addProperty("steps_offset", 1);
        c.add("trained_betas", null);
        return c;
    }

    private static JsonObject unetConfig(UNetConfig u) {
        JsonObject c = new JsonObject();
        c.addProperty("_class_name", "UNet2DConditionModel");
        c.addProperty("_diffusers_version", "0.14.0");
        c.addProperty("act_fn", "silu");
        c.add("attention_head_dim", ints(u.attentionHeads()));
        c.add("block_out_channels", ints(u.blockOutChannels()));
        c.addProperty("center_input_sample", false);
        c.addProperty("cross_attention_dim", u.crossAttentionDim());
        JsonArray down = new JsonArray();
        JsonArray up = new JsonArray();
        for (int i = 0; i < u.levels(); i++) {
            down.add(i < u.levels() - 1 ? "CrossAttnDownBlock2D" : "DownBlock2D");
            up.add(i == 0 ? "UpBlock2D" : "CrossAttnUpBlock2D");
        }
        c.add("down_block_types", down);
        c.add("up_block_types", up);
        c.addProperty("downsample_padding", u.downsamplePadding());
        c.addProperty("dual_cross_attention", false);
        c.addProperty("flip_sin_to_cos", u.flipSinToCos());
        c.addProperty("freq_shift", 0);
        c.addProperty("in_channels", u.inChannels());
        c.addProperty("layers_per_block", u.layersPerBlock());
        c.addProperty("mid_block_scale_factor", 1);
        c.addProperty("norm_eps", u.normEps());
        c.addProperty("norm_num_groups", u.normNumGroups());
        c.addProperty("only_cross_attention", false);
        c.addProperty("out_channels", u.outChannels());
        c.addProperty("upcast_attention", false);
        c.addProperty("use_linear_projection", true);
        return c;
    }

    private static JsonObject textConfig(ClipTextConfig t) {
        JsonObject c = new JsonObject();
        JsonArray arch = new JsonArray();
        arch.add("CLIPTextModel");
        c.add("architectures", arch);
        c.addProperty("attention_dropout", 0.0);
        c.addProperty("dropout", 0.0);
        c.addProperty("hidden_act", t.hiddenAct());
        c.addProperty("hidden_size", t.hiddenSize());
        c.addProperty("intermediate_size", t.intermediateSize());
        c.addProperty("layer_norm_eps", t.layerNormEps());
        c.addProperty("max_position_embeddings", t.maxPositions());
        c.addProperty("model_type", "clip_text_model");
        c.addProperty("num_attention_heads", t.heads());
        c.addProperty("num_hidden_layers", t.layers());
        c.addProperty("torch_dtype", "float32");
        c.addProperty("vocab_size", t.vocabSize());
        return c;
    }

    private static JsonObject modelIndex() {
        JsonObject c = new JsonObject();
        c.addProperty("_class_name", "StableDiffusionPipeline");
        c.addProperty("_diffusers_version", "0.14.0");
        for (String[] part : new String[][] {{"scheduler", "diffusers", "DDIMScheduler"},
                {"text_encoder", "transformers", "CLIPTextModel"}, {"tokenizer", "transformers", "CLIPTokenizer"},
                {"unet", "diffusers", "UNet2DConditionModel"}, {"vae", "diffusers", "AutoencoderKL"}}) {
            JsonArray a = new JsonArray();
            a.add(part[1]);
            a.add(part[2]);
            c.add(part[0], a);
        }
        return c;
    }

    private static JsonArray ints(List<Integer> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }
}
