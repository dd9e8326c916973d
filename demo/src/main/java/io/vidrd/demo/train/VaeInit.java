package io.vidrd.demo.train;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.vidrd.vae.model.VaeFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a freshly initialised VAE folder in the official diffusers layout: PyTorch's default
 * initialisation (uniform ±1/√fan-in for convolution and linear weights and biases, GroupNorm
 * scale 1 and shift 0), except that the last convolution of every temporal unit stack is zero,
 * so the temporal layers start as the identity (the paper's §4.4 recipe) and a temporal VAE
 * first decodes exactly like the image VAE it extends.
 */
public final class VaeInit {

    private VaeInit() {
    }

    /**
     * @param dir target folder (created if missing)
     * @param channels {@code block_out_channels} (multiples of 32 for the temporal layers' 32 groups)
     * @param layersPerBlock {@code layers_per_block}
     * @param latent {@code latent_channels}
     * @param normGroups {@code norm_num_groups}
     * @param temporal whether to add VidRD's decoder temporal layers
     * @param seed initialisation seed
     * @throws IOException on write failure
     */
    public static void write(Path dir, List<Integer> channels, int layersPerBlock, int latent, int normGroups,
            boolean temporal, long seed) throws IOException {
        Files.createDirectories(dir);
        JsonObject c = new JsonObject();
        c.addProperty("_class_name", temporal ? "TemporalAutoencoderKL" : "AutoencoderKL");
        c.addProperty("_diffusers_version", "0.14.0");
        c.addProperty("act_fn", "silu");
        JsonArray blocks = new JsonArray();
        JsonArray down = new JsonArray();
        JsonArray up = new JsonArray();
        for (int ch : channels) {
            blocks.add(ch);
            down.add("DownEncoderBlock2D");
            up.add("UpDecoderBlock2D");
        }
        c.add("block_out_channels", blocks);
        c.add("down_block_types", down);
        c.add("up_block_types", up);
        c.addProperty("in_channels", 3);
        c.addProperty("out_channels", 3);
        c.addProperty("latent_channels", latent);
        c.addProperty("layers_per_block", layersPerBlock);
        c.addProperty("norm_num_groups", normGroups);
        c.addProperty("sample_size", 32 * (1 << (channels.size() - 1)));
        c.addProperty("scaling_factor", 0.18215);
        if (temporal) {
            c.addProperty("add_temp_conv", true);
        }
        Files.writeString(dir.resolve(VaeFiles.CONFIG), new GsonBuilder().setPrettyPrinting().create().toJson(c),
                StandardCharsets.UTF_8);
        Map<String, long[]> shapes = VaeLayout.shapes(channels, layersPerBlock, 3, 3, latent, temporal);
        ParameterInit.write(dir.resolve(VaeFiles.SAFETENSORS), shapes, "",
                module -> VaeLayout.isTemporal(module + ".") && module.endsWith(".convs.11"), seed);
    }
}
