package io.vidrd.vae.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A diffusers {@code AutoencoderKL} / VidRD {@code TemporalAutoencoderKL} {@code config.json}.
 * Absent values take the diffusers 0.14 class defaults; options this implementation cannot run
 * (other block types or activations) are refused when reading.
 *
 * @param className {@code _class_name} ({@code AutoencoderKL} or {@code TemporalAutoencoderKL})
 * @param diffusersVersion {@code _diffusers_version}, or "" if absent
 * @param inChannels image channels in (3)
 * @param outChannels image channels out (3)
 * @param latentChannels latent channels (4)
 * @param blockOutChannels channels per level, encoder order
 * @param layersPerBlock resnets per encoder block (decoder blocks have one more)
 * @param normNumGroups GroupNorm groups
 * @param scalingFactor latent scaling factor (0.18215)
 * @param addTempConv whether each decoder resnet is followed by a temporal conv layer
 */
public record VaeConfig(String className, String diffusersVersion, int inChannels, int outChannels, int latentChannels,
        List<Integer> blockOutChannels, int layersPerBlock, int normNumGroups, double scalingFactor,
        boolean addTempConv) {

    /** diffusers' default {@code scaling_factor} (SD 1.x/2.x VAEs). */
    public static final double DEFAULT_SCALING_FACTOR = 0.18215;
    /** GroupNorm eps of every 2-D part of the VAE. */
    public static final float NORM_EPS = 1e-6f;
    /** GroupNorm eps of the temporal conv layers (PyTorch's default). */
    public static final float TEMPORAL_NORM_EPS = 1e-5f;
    /** GroupNorm groups of the temporal conv layers (fixed in VidRD's code). */
    public static final int TEMPORAL_GROUPS = 32;
    /** Units (GroupNorm, SiLU, dropout, Conv3d) per temporal conv layer. */
    public static final int TEMPORAL_UNITS = 3;

    /** @throws IllegalArgumentException for values this implementation cannot run */
    public VaeConfig {
        blockOutChannels = List.copyOf(blockOutChannels);
        if (blockOutChannels.isEmpty()) {
            throw new IllegalArgumentException("block_out_channels is empty");
        }
        if (layersPerBlock < 1 || inChannels < 1 || outChannels < 1 || latentChannels < 1) {
            throw new IllegalArgumentException("layers_per_block, in_channels, out_channels and latent_channels must be >= 1");
        }
        for (int i = 0; i < blockOutChannels.size(); i++) {
            int ch = blockOutChannels.get(i);
            if (ch % normNumGroups != 0 || (addTempConv && ch % TEMPORAL_GROUPS != 0)) {
                throw new IllegalArgumentException("block_out_channels[" + i + "] = " + ch + " is not divisible by "
                        + "norm_num_groups " + normNumGroups + (addTempConv ? " and the temporal convs' 32 groups" : ""));
            }
        }
        if (!(scalingFactor > 0) || Double.isInfinite(scalingFactor)) {
            throw new IllegalArgumentException("scaling_factor must be positive, got " + scalingFactor);
        }
    }

    /**
     * @param configJson a VAE {@code config.json}
     * @return the configuration
     * @throws IOException if the file is missing, not JSON, or names an option this implementation
     *     does not run (the message names the file and the option)
     */
    public static VaeConfig read(Path configJson) throws IOException {
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(configJson, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new IOException(configJson + ": no such file (a diffusers VAE folder needs config.json)", e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(configJson + ": not a JSON object: " + e.getMessage(), e);
        }
        try {
            String act = stringOr(o, "act_fn", "silu");
            if (!act.equals("silu") && !act.equals("swish")) {
                throw new IllegalArgumentException("act_fn = \"" + act + "\" is not supported; only \"silu\"");
            }
            List<Integer> channels = ints(o.get("block_out_channels"), List.of(64));
            requireAll(o, "down_block_types", "DownEncoderBlock2D", channels.size());
            requireAll(o, "up_block_types", "UpDecoderBlock2D", channels.size());
            return new VaeConfig(stringOr(o, "_class_name", "AutoencoderKL"), stringOr(o, "_diffusers_version", ""),
                    intOr(o, "in_channels", 3), intOr(o, "out_channels", 3), intOr(o, "latent_channels", 4), channels,
                    intOr(o, "layers_per_block", 1), intOr(o, "norm_num_groups", 32),
                    doubleOr(o, "scaling_factor", DEFAULT_SCALING_FACTOR),
                    o.has("add_temp_conv") && !o.get("add_temp_conv").isJsonNull() && o.get("add_temp_conv").getAsBoolean());
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException | UnsupportedOperationException e) {
            throw new IOException(configJson + ": " + e.getMessage(), e);
        }
    }

    /** @return the number of resolution levels */
    public int levels() {
        return blockOutChannels.size();
    }

    /** @return pixels per latent cell, {@code 2^(levels − 1)} */
    public int scaleFactor() {
        return 1 << (levels() - 1);
    }

    /** @return {@code fp32(1 / scaling_factor)}: the reciprocal in double, applied as an fp32 scalar */
    public float inverseScalingFactor() {
        return (float) (1.0 / scalingFactor);
    }

    private static void requireAll(JsonObject o, String key, String allowed, int count) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return;
        }
        JsonArray a = e.getAsJsonArray();
        if (a.size() != count) {
            throw new IllegalArgumentException(key + " has " + a.size() + " entries but block_out_channels has " + count);
        }
        for (JsonElement t : a) {
            if (!t.getAsString().equals(allowed)) {
                throw new IllegalArgumentException(key + " entry \"" + t.getAsString() + "\" is not supported; only \""
                        + allowed + "\"");
            }
        }
    }

    private static String stringOr(JsonObject o, String key, String fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }

    private static int intOr(JsonObject o, String key, int fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsInt();
    }

    private static double doubleOr(JsonObject o, String key, double fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsDouble();
    }

    private static List<Integer> ints(JsonElement e, List<Integer> fallback) {
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        List<Integer> out = new ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) {
            out.add(x.getAsInt());
        }
        return out;
    }
}
