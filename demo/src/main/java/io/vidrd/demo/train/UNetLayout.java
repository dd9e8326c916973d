package io.vidrd.demo.train;

import io.vidrd.engine.unet.UNetConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensor keys and shapes of VidRD's {@code UNet3DConditionModel} for a configuration (without
 * the {@code unet.} prefix): what a freshly initialised model must write so that the engine's strict
 * loader accepts it. The loader checks every key both ways, so loading what this lists verifies it.
 */
public final class UNetLayout {

    /** Units per U-Net temporal conv layer (GroupNorm, SiLU, Dropout, Conv3d each). */
    private static final int TEMPORAL_UNITS = 4;

    private final UNetConfig config;
    private final Map<String, long[]> shapes = new LinkedHashMap<>();

    private UNetLayout(UNetConfig config) {
        this.config = config;
    }

    /**
     * @param c the configuration
     * @return key → shape, in a stable order
     */
    public static Map<String, long[]> shapes(UNetConfig c) {
        UNetLayout l = new UNetLayout(c);
        l.build();
        return l.shapes;
    }

    /**
     * @param module a key without its last segment
     * @return whether it is the last layer of a temporal stack (zero at initialisation, §4.4)
     */
    public static boolean isTemporalOutput(String module) {
        return module.endsWith(".temp_attn.to_out.0")
                || module.contains(".temp_convs.") && module.endsWith(".convs." + (4 * TEMPORAL_UNITS - 1));
    }

    private void build() {
        List<Integer> ch = config.blockOutChannels();
        int n = ch.size();
        int temb = config.timeEmbedDim();
        conv("conv_in", config.inChannels(), ch.get(0), 3);
        linear("time_embedding.linear_1", ch.get(0), temb, true);
        linear("time_embedding.linear_2", temb, temb, true);
        boolean downTemporal = !config.flags().addTempAttnOnlyOnUpblocks();
        List<Integer> skips = new ArrayList<>(List.of(ch.get(0)));
        int out = ch.get(0);
        for (int i = 0; i < n; i++) {
            int in = out;
            out = ch.get(i);
            String b = "down_blocks." + i;
            for (int j = 0; j < config.layersPerBlock(); j++) {
                resnet(b + ".resnets." + j, j == 0 ? in : out, out);
                if (i < n - 1) {
                    transformer(b + ".attentions." + j, out, downTemporal);
                }
                skips.add(out);
            }
            if (i < n - 1) {
                conv(b + ".downsamplers.0.conv", out, out, 3);
                skips.add(out);
            }
        }
        int c = ch.get(n - 1);
        resnet("mid_block.resnets.0", c, c);
        transformer("mid_block.attentions.0", c, downTemporal);
        resnet("mid_block.resnets.1", c, c);
        int prev = c;
        for (int i = 0; i < n; i++) {
            int o = ch.get(n - 1 - i);
            String b = "up_blocks." + i;
            for (int j = 0; j <= config.layersPerBlock(); j++) {
                int skip = skips.remove(skips.size() - 1);
                resnet(b + ".resnets." + j, (j == 0 ? prev : o) + skip, o);
                if (i > 0) {
                    transformer(b + ".attentions." + j, o, true);
                }
            }
            if (i < n - 1) {
                conv(b + ".upsamplers.0.conv", o, o, 3);
            }
            prev = o;
        }
        vector("conv_norm_out", ch.get(0));
        conv("conv_out", ch.get(0), config.outChannels(), 3);
    }

    /** A resnet, followed by its temporal conv layer (same index) when {@code add_temp_conv}. */
    private void resnet(String p, int in, int out) {
        vector(p + ".norm1", in);
        conv(p + ".conv1", in, out, 3);
        linear(p + ".time_emb_proj", config.timeEmbedDim(), out, true);
        vector(p + ".norm2", out);
        conv(p + ".conv2", out, out, 3);
        if (in != out) {
            conv(p + ".conv_shortcut", in, out, 1);
        }
        if (config.flags().addTempConv()) {
            String t = p.replace(".resnets.", ".temp_convs.");
            for (int u = 0; u < TEMPORAL_UNITS; u++) {
                vector(t + ".convs." + (4 * u), out);
                put(t + ".convs." + (4 * u + 3) + ".weight", out, out, 3, 1, 1);
                put(t + ".convs." + (4 * u + 3) + ".bias", out);
            }
        }
    }

    private void transformer(String p, int c, boolean temporal) {
        vector(p + ".norm", c);
        linear(p + ".proj_in", c, c, true);
        String q = p + ".transformer_blocks.0";
        attention(q + ".attn1", c, c);
        vector(q + ".norm1", c);
        attention(q + ".attn2", c, config.crossAttentionDim());
        vector(q + ".norm2", c);
        if (temporal) {
            vector(q + ".temp_norm", c);
            attention(q + ".temp_attn", c, c);
        }
        linear(q + ".ff.net.0.proj", c, 8 * c, true);
        linear(q + ".ff.net.2", 4 * c, c, true);
        vector(q + ".norm3", c);
        linear(p + ".proj_out", c, c, true);
    }

    private void attention(String p, int c, int context) {
        linear(p + ".to_q", c, c, false);
        linear(p + ".to_k", context, c, false);
        linear(p + ".to_v", context, c, false);
        linear(p + ".to_out.0", c, c, true);
    }

    private void put(String name, long... shape) {
        shapes.put(name, shape);
    }

    private void vector(String p, int c) {
        put(p + ".weight", c);
        put(p + ".bias", c);
    }

    private void linear(String p, int in, int out, boolean bias) {
        put(p + ".weight", out, in);
        if (bias) {
            put(p + ".bias", out);
        }
    }

    private void conv(String p, int in, int out, int k) {
        put(p + ".weight", out, in, k, k);
        put(p + ".bias", out);
    }
}
