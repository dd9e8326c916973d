package io.vidrd.demo.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensor keys and shapes of a diffusers {@code AutoencoderKL} (plus VidRD's decoder
 * {@code temp_convs} when {@code add_temp_conv}) for a configuration: what a freshly initialised
 * model must write so that the vae bundle's strict loader accepts it. The loader checks every key
 * both ways, so a test that writes this layout and loads it verifies the layout.
 */
public final class VaeLayout {

    /** Temporal units per {@code temp_convs} entry (GroupNorm, SiLU, Dropout, Conv3d each). */
    private static final int TEMPORAL_UNITS = 3;

    private VaeLayout() {
    }

    /**
     * @param channels {@code block_out_channels}
     * @param layersPerBlock {@code layers_per_block}
     * @param inChannels image channels in
     * @param outChannels image channels out
     * @param latent {@code latent_channels}
     * @param temporal {@code add_temp_conv}
     * @return key → shape, in a stable order
     */
    public static Map<String, long[]> shapes(List<Integer> channels, int layersPerBlock, int inChannels,
            int outChannels, int latent, boolean temporal) {
        Map<String, long[]> m = new LinkedHashMap<>();
        int first = channels.get(0);
        int last = channels.get(channels.size() - 1);
        conv(m, "encoder.conv_in", first, inChannels, 3);
        int prev = first;
        for (int i = 0; i < channels.size(); i++) {
            int out = channels.get(i);
            for (int j = 0; j < layersPerBlock; j++) {
                resnet(m, "encoder.down_blocks." + i + ".resnets." + j, j == 0 ? prev : out, out);
            }
            if (i < channels.size() - 1) {
                conv(m, "encoder.down_blocks." + i + ".downsamplers.0.conv", out, out, 3);
            }
            prev = out;
        }
        mid(m, "encoder.mid_block", last);
        norm(m, "encoder.conv_norm_out", last);
        conv(m, "encoder.conv_out", 2 * latent, last, 3);
        conv(m, "quant_conv", 2 * latent, 2 * latent, 1);
        conv(m, "post_quant_conv", latent, latent, 1);
        conv(m, "decoder.conv_in", last, latent, 3);
        mid(m, "decoder.mid_block", last);
        prev = last;
        for (int i = 0; i < channels.size(); i++) {
            int out = channels.get(channels.size() - 1 - i);
            String block = "decoder.up_blocks." + i;
            for (int j = 0; j <= layersPerBlock; j++) {
                resnet(m, block + ".resnets." + j, j == 0 ? prev : out, out);
                if (temporal) {
                    for (int u = 0; u < TEMPORAL_UNITS; u++) {
                        norm(m, block + ".temp_convs." + j + ".convs." + (4 * u), out);
                        m.put(block + ".temp_convs." + j + ".convs." + (4 * u + 3) + ".weight", new long[] {out, out, 3, 1, 1});
                        m.put(block + ".temp_convs." + j + ".convs." + (4 * u + 3) + ".bias", new long[] {out});
                    }
                }
            }
            if (i < channels.size() - 1) {
                conv(m, block + ".upsamplers.0.conv", out, out, 3);
            }
            prev = out;
        }
        norm(m, "decoder.conv_norm_out", channels.get(0));
        conv(m, "decoder.conv_out", outChannels, channels.get(0), 3);
        return m;
    }

    /** @return whether a key belongs to the decoder's temporal layers */
    public static boolean isTemporal(String key) {
        return key.contains(".temp_convs.");
    }

    private static void resnet(Map<String, long[]> m, String p, int in, int out) {
        norm(m, p + ".norm1", in);
        conv(m, p + ".conv1", out, in, 3);
        norm(m, p + ".norm2", out);
        conv(m, p + ".conv2", out, out, 3);
        if (in != out) {
            conv(m, p + ".conv_shortcut", out, in, 1);
        }
    }

    private static void mid(Map<String, long[]> m, String p, int c) {
        resnet(m, p + ".resnets.0", c, c);
        String a = p + ".attentions.0";
        norm(m, a + ".group_norm", c);
        for (String proj : List.of("query", "key", "value", "proj_attn")) {
            m.put(a + "." + proj + ".weight", new long[] {c, c});
            m.put(a + "." + proj + ".bias", new long[] {c});
        }
        resnet(m, p + ".resnets.1", c, c);
    }

    private static void norm(Map<String, long[]> m, String p, int c) {
        m.put(p + ".weight", new long[] {c});
        m.put(p + ".bias", new long[] {c});
    }

    private static void conv(Map<String, long[]> m, String p, int out, int in, int k) {
        m.put(p + ".weight", new long[] {out, in, k, k});
        m.put(p + ".bias", new long[] {out});
    }
}
