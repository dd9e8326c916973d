package io.vidrd.engine.unet;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration of VidRD's {@code UNet3DConditionModel}: the SD 2.1 {@code unet/config.json}
 * values plus VidRD's temporal flags. As in {@code from_pretrained_2d}, the file's block type
 * lists are ignored and replaced by the 3-D list (n−1 × {@code CrossAttnDownBlock3D} +
 * {@code DownBlock3D}, mid {@code UNetMidBlock3DCrossAttn}, {@code UpBlock3D} + n−1 ×
 * {@code CrossAttnUpBlock3D}). {@code attentionHeads} are numbers of heads, as in SD 2.1.
 *
 * @param inChannels latent channels in
 * @param outChannels latent channels out
 * @param blockOutChannels channels per level
 * @param layersPerBlock resnets per down block (up blocks have one more)
 * @param attentionHeads heads per level (the config's {@code attention_head_dim})
 * @param crossAttentionDim text width D
 * @param normNumGroups GroupNorm groups of resnets, transformers and {@code conv_norm_out}
 * @param normEps GroupNorm eps of resnets and {@code conv_norm_out}
 * @param flipSinToCos timestep features cos-first
 * @param freqShift timestep {@code downscale_freq_shift}
 * @param downsamplePadding padding of the down-sampling convs (1)
 * @param midBlockScaleFactor output scale of the mid-block resnets
 * @param flags VidRD's temporal options
 */
public record UNetConfig(int inChannels, int outChannels, List<Integer> blockOutChannels, int layersPerBlock,
        List<Integer> attentionHeads, int crossAttentionDim, int normNumGroups, float normEps, boolean flipSinToCos,
        float freqShift, int downsamplePadding, float midBlockScaleFactor, TemporalFlags flags) {

    /**
     * VidRD's options of {@code UNet3DConditionModel}, given by its training/inference config
     * (not by {@code unet/config.json}).
     *
     * @param addTempEmbed add the sinusoidal frame embedding before temporal attention
     * @param addTempConv a temporal conv layer after every resnet
     * @param addTempTransformer a temporal transformer after {@code conv_in} (not supported)
     * @param addTempAttnOnlyOnUpblocks temporal attention only in the up blocks
     * @param prependFirstFrame sparse-causal spatial attention (not supported)
     */
    public record TemporalFlags(boolean addTempEmbed, boolean addTempConv, boolean addTempTransformer,
            boolean addTempAttnOnlyOnUpblocks, boolean prependFirstFrame) {

        /** @return the values of the official {@code configs/example.yaml} (embed and conv on, rest off) */
        public static TemporalFlags official() {
            return new TemporalFlags(true, true, false, false, false);
        }
    }

    /** @throws IllegalArgumentException for values this implementation cannot run */
    public UNetConfig {
        blockOutChannels = List.copyOf(blockOutChannels);
        attentionHeads = List.copyOf(attentionHeads);
        if (blockOutChannels.size() < 2) {
            throw new IllegalArgumentException("block_out_channels needs at least 2 levels, got " + blockOutChannels);
        }
        if (attentionHeads.size() != blockOutChannels.size()) {
            throw new IllegalArgumentException("attention_head_dim " + attentionHeads + " must have one entry per level of "
                    + "block_out_channels " + blockOutChannels);
        }
        for (int i = 0; i < blockOutChannels.size(); i++) {
            int ch = blockOutChannels.get(i);
            if (ch % normNumGroups != 0 || ch % 32 != 0) {
                throw new IllegalArgumentException("block_out_channels[" + i + "] = " + ch + " is not divisible by "
                        + "norm_num_groups " + normNumGroups + " and the temporal convs' 32 groups");
            }
            if (ch % attentionHeads.get(i) != 0) {
                throw new IllegalArgumentException("block_out_channels[" + i + "] = " + ch
                        + " is not divisible by attention_head_dim[" + i + "] = " + attentionHeads.get(i));
            }
        }
        if (flags.addTempTransformer()) {
            throw new IllegalArgumentException("add_temp_transformer = true is not supported (off in the official configuration)");
        }
        if (flags.prependFirstFrame()) {
            throw new IllegalArgumentException("prepend_first_frame = true is not supported (off in the official configuration)");
        }
    }

    /**
     * @param configJson SD 2.1 {@code unet/config.json}
     * @param flags VidRD's temporal options
     * @return the configuration
     * @throws IOException if the file is unreadable, or uses an option this implementation does not
     *     run (named in the message with the file)
     */
    public static UNetConfig read(Path configJson, TemporalFlags flags) throws IOException {
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(configJson, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(configJson + ": not a JSON object: " + e.getMessage(), e);
        }
        try {
            requireValue(o, "act_fn", "silu");
            requireValue(o, "resnet_time_scale_shift", "default");
            requireFalse(o, "use_linear_projection", false, "only use_linear_projection = true (SD 2.x) is supported");
            requireFalse(o, "dual_cross_attention", true, "dual_cross_attention is not supported");
            requireFalse(o, "center_input_sample", true, "center_input_sample is not supported");
            requireNull(o, "class_embed_type");
            requireNull(o, "num_class_embeds");
            JsonElement only = o.get("only_cross_attention");
            if (only != null && !only.isJsonNull() && only.toString().contains("true")) {
                throw new IllegalArgumentException("only_cross_attention is not supported");
            }
            JsonElement mid = o.get("mid_block_type");
            if (mid != null && !mid.isJsonNull() && !List.of("UNetMidBlock2DCrossAttn", "UNetMidBlock3DCrossAttn")
                    .contains(mid.getAsString())) {
                throw new IllegalArgumentException("mid_block_type " + mid + " is not supported");
            }
            List<Integer> channels = ints(o.get("block_out_channels"), List.of(320, 640, 1280, 1280), 0);
            List<Integer> heads = ints(o.get("attention_head_dim"), List.of(8), channels.size());
            return new UNetConfig(
                    intOr(o, "in_channels", 4), intOr(o, "out_channels", 4), channels,
                    intOr(o, "layers_per_block", 2), heads, intOr(o, "cross_attention_dim", 1280),
                    intOr(o, "norm_num_groups", 32), floatOr(o, "norm_eps", 1e-5f),
                    !o.has("flip_sin_to_cos") || o.get("flip_sin_to_cos").getAsBoolean(),
                    floatOr(o, "freq_shift", 0f), intOr(o, "downsample_padding", 1),
                    floatOr(o, "mid_block_scale_factor", 1f), flags);
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException | UnsupportedOperationException e) {
            throw new IOException(configJson + ": " + e.getMessage(), e);
        }
    }

    private static void requireValue(JsonObject o, String key, String allowed) {
        JsonElement e = o.get(key);
        if (e != null && !e.isJsonNull() && !e.getAsString().equals(allowed)) {
            throw new IllegalArgumentException(key + " = " + e + " is not supported; only \"" + allowed + "\"");
        }
    }

    private static void requireFalse(JsonObject o, String key, boolean bad, String message) {
        JsonElement e = o.get(key);
        boolean value = e != null && !e.isJsonNull() && e.getAsBoolean();
        if (value == bad) {
            throw new IllegalArgumentException(message + " (" + key + " = " + value + ")");
        }
    }

    private static void requireNull(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e != null && !e.isJsonNull()) {
            throw new IllegalArgumentException(key + " = " + e + " is not supported (class conditioning)");
        }
    }

    private static int intOr(JsonObject o, String key, int fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsInt();
    }

    private static float floatOr(JsonObject o, String key, float fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsFloat();
    }

    private static List<Integer> ints(JsonElement e, List<Integer> fallback, int repeatTo) {
        List<Integer> out = new ArrayList<>();
        if (e == null || e.isJsonNull()) {
            out.addAll(fallback);
        } else if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            for (JsonElement x : a) {
                out.add(x.getAsInt());
            }
        } else {
            out.add(e.getAsInt());
        }
        if (out.size() == 1 && repeatTo > 1) {
            int v = out.get(0);
            while (out.size() < repeatTo) {
                out.add(v);
            }
        }
        return out;
    }

    /** @return number of levels */
    public int levels() {
        return blockOutChannels.size();
    }

    /** @return width of the time embedding (4 × the first level's channels) */
    public int timeEmbedDim() {
        return blockOutChannels.get(0) * 4;
    }
}
