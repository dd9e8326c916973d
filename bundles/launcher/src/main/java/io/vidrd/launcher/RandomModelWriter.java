package io.vidrd.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a full-size VidRD model with random fp16 weights in the official layout (VIDRD.md §1.1):
 * the SD 2.1-base U-Net with VidRD's temporal layers (block_out_channels 320/640/1280/1280, heads
 * 5/10/20/20, cross dim 1024; 1,182,401,284 parameters), the 23-layer 1024-wide CLIP text encoder
 * and the 128/256/512/512 VAE with temporal decoder layers. For benchmarks only: the frames are
 * noise, but every kernel runs at the real shapes. Matrices are uniform in ±1/√fan-in (activations
 * stay finite in fp16), norms have weight 1 and bias 0. Values repeat in blocks to keep writing fast.
 */
final class RandomModelWriter {

    private static final int[] UNET_CH = {320, 640, 1280, 1280};
    private static final int[] UNET_HEADS = {5, 10, 20, 20};
    private static final int TEMB = 1280;
    private static final int CROSS = 1024;
    private static final int[] VAE_CH = {128, 256, 512, 512};
    private static final int TEXT_WIDTH = 1024;
    private static final int TEXT_LAYERS = 23;
    private static final int TEXT_FF = 4096;
    private static final int VOCAB = 49408;

    /** name → shape, in writing order. */
    private final Map<String, long[]> tensors = new LinkedHashMap<>();
    private final SplittableRandom random = new SplittableRandom(20240601L);

    private RandomModelWriter() {}

    /**
     * @param dir target folder (created); a complete earlier write (marker file) is kept
     * @param tokenizerSource a folder with {@code vocab.json}, {@code merges.txt}, {@code tokenizer_config.json},
     *     {@code special_tokens_map.json} to copy (any CLIP tokenizer; ids must stay below 49408)
     * @return U-Net parameter count
     * @throws IOException if writing fails
     */
    static long write(Path dir, Path tokenizerSource) throws IOException {
        Path marker = dir.resolve(".complete");
        RandomModelWriter unet = new RandomModelWriter();
        unet.unet();
        long unetParams = unet.parameters();
        if (Files.exists(marker)) {
            return unetParams;
        }
        Path sd = dir.resolve("stable-diffusion-2-1-base");
        Files.createDirectories(sd.resolve("unet"));
        Files.createDirectories(sd.resolve("text_encoder"));
        Files.createDirectories(sd.resolve("scheduler"));
        Files.createDirectories(sd.resolve("tokenizer"));
        Files.createDirectories(dir.resolve("vae_finetuned"));
        unet.writeSafetensors(dir.resolve("ModelT2V.safetensors"), "unet.");
        RandomModelWriter text = new RandomModelWriter();
        text.text();
        text.writeSafetensors(sd.resolve("text_encoder/model.safetensors"), "");
        RandomModelWriter vae = new RandomModelWriter();
        vae.vae();
        vae.writeSafetensors(dir.resolve("vae_finetuned/diffusion_pytorch_model.safetensors"), "");
        Files.writeString(sd.resolve("unet/config.json"), UNET_CONFIG);
        Files.writeString(sd.resolve("text_encoder/config.json"), TEXT_CONFIG);
        Files.writeString(sd.resolve("scheduler/scheduler_config.json"), SCHEDULER_CONFIG);
        Files.writeString(dir.resolve("vae_finetuned/config.json"), VAE_CONFIG);
        for (String f : List.of("vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json")) {
            Files.copy(tokenizerSource.resolve(f), sd.resolve("tokenizer").resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(marker, "ok\n");
        return unetParams;
    }

    long parameters() {
        long n = 0;
        for (long[] s : tensors.values()) {
            long p = 1;
            for (long d : s) {
                p *= d;
            }
            n += p;
        }
        return n;
    }

    private void put(String name, long... shape) {
        tensors.put(name, shape);
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

    private void resnet(String p, int in, int out, boolean temb) {
        vector(p + ".norm1", in);
        conv(p + ".conv1", in, out, 3);
        if (temb) {
            linear(p + ".time_emb_proj", TEMB, out, true);
        }
        vector(p + ".norm2", out);
        conv(p + ".conv2", out, out, 3);
        if (in != out) {
            conv(p + ".conv_shortcut", in, out, 1);
        }
    }

    private void temporalConv(String p, int c, int units) {
        for (int j = 0; j < units; j++) {
            vector(p + ".convs." + (4 * j), c);
            put(p + ".convs." + (4 * j + 3) + ".weight", c, c, 3, 1, 1);
            put(p + ".convs." + (4 * j + 3) + ".bias", c);
        }
    }

    private void attention(String p, int c, int context) {
        linear(p + ".to_q", c, c, false);
        linear(p + ".to_k", context, c, false);
        linear(p + ".to_v", context, c, false);
        linear(p + ".to_out.0", c, c, true);
    }

    private void transformer(String p, int c) {
        vector(p + ".norm", c);
        linear(p + ".proj_in", c, c, true);
        String q = p + ".transformer_blocks.0";
        attention(q + ".attn1", c, c);
        vector(q + ".norm1", c);
        attention(q + ".attn2", c, CROSS);
        vector(q + ".norm2", c);
        vector(q + ".temp_norm", c);
        attention(q + ".temp_attn", c, c);
        linear(q + ".ff.net.0.proj", c, 8 * c, true);
        linear(q + ".ff.net.2", 4 * c, c, true);
        vector(q + ".norm3", c);
        linear(p + ".proj_out", c, c, true);
    }

    private void unet() {
        conv("conv_in", 4, UNET_CH[0], 3);
        linear("time_embedding.linear_1", UNET_CH[0], TEMB, true);
        linear("time_embedding.linear_2", TEMB, TEMB, true);
        int out = UNET_CH[0];
        List<Integer> skips = new ArrayList<>(List.of(out));
        for (int i = 0; i < 4; i++) {
            int in = out;
            out = UNET_CH[i];
            String b = "down_blocks." + i;
            for (int j = 0; j < 2; j++) {
                resnet(b + ".resnets." + j, j == 0 ? in : out, out, true);
                temporalConv(b + ".temp_convs." + j, out, 4);
                if (i < 3) {
                    transformer(b + ".attentions." + j, out);
                }
                skips.add(out);
            }
            if (i < 3) {
                conv(b + ".downsamplers.0.conv", out, out, 3);
                skips.add(out);
            }
        }
        int c = UNET_CH[3];
        resnet("mid_block.resnets.0", c, c, true);
        temporalConv("mid_block.temp_convs.0", c, 4);
        transformer("mid_block.attentions.0", c);
        resnet("mid_block.resnets.1", c, c, true);
        temporalConv("mid_block.temp_convs.1", c, 4);
        int prev = c;
        for (int i = 0; i < 4; i++) {
            int o = UNET_CH[3 - i];
            String b = "up_blocks." + i;
            for (int j = 0; j < 3; j++) {
                int skip = skips.remove(skips.size() - 1);
                resnet(b + ".resnets." + j, (j == 0 ? prev : o) + skip, o, true);
                temporalConv(b + ".temp_convs." + j, o, 4);
                if (i > 0) {
                    transformer(b + ".attentions." + j, o);
                }
            }
            if (i < 3) {
                conv(b + ".upsamplers.0.conv", o, o, 3);
            }
            prev = o;
        }
        vector("conv_norm_out", UNET_CH[0]);
        conv("conv_out", UNET_CH[0], 4, 3);
    }

    private void text() {
        put("embeddings.token_embedding.weight", VOCAB, TEXT_WIDTH);
        put("embeddings.position_embedding.weight", 77, TEXT_WIDTH);
        for (int l = 0; l < TEXT_LAYERS; l++) {
            String p = "encoder.layers." + l;
            for (String proj : List.of("q_proj", "k_proj", "v_proj", "out_proj")) {
                linear(p + ".self_attn." + proj, TEXT_WIDTH, TEXT_WIDTH, true);
            }
            vector(p + ".layer_norm1", TEXT_WIDTH);
            linear(p + ".mlp.fc1", TEXT_WIDTH, TEXT_FF, true);
            linear(p + ".mlp.fc2", TEXT_FF, TEXT_WIDTH, true);
            vector(p + ".layer_norm2", TEXT_WIDTH);
        }
        vector("final_layer_norm", TEXT_WIDTH);
    }

    private void vaeResnet(String p, int in, int out) {
        resnet(p, in, out, false);
    }

    private void vaeAttention(String p, int c) {
        vector(p + ".group_norm", c);
        for (String n : List.of("query", "key", "value", "proj_attn")) {
            linear(p + "." + n, c, c, true);
        }
    }

    private void vae() {
        conv("encoder.conv_in", 3, VAE_CH[0], 3);
        int out = VAE_CH[0];
        for (int i = 0; i < 4; i++) {
            int in = out;
            out = VAE_CH[i];
            for (int j = 0; j < 2; j++) {
                vaeResnet("encoder.down_blocks." + i + ".resnets." + j, j == 0 ? in : out, out);
            }
            if (i < 3) {
                conv("encoder.down_blocks." + i + ".downsamplers.0.conv", out, out, 3);
            }
        }
        vaeResnet("encoder.mid_block.resnets.0", 512, 512);
        vaeAttention("encoder.mid_block.attentions.0", 512);
        vaeResnet("encoder.mid_block.resnets.1", 512, 512);
        vector("encoder.conv_norm_out", 512);
        conv("encoder.conv_out", 512, 8, 3);
        conv("quant_conv", 8, 8, 1);
        conv("post_quant_conv", 4, 4, 1);
        conv("decoder.conv_in", 4, 512, 3);
        vaeResnet("decoder.mid_block.resnets.0", 512, 512);
        vaeAttention("decoder.mid_block.attentions.0", 512);
        vaeResnet("decoder.mid_block.resnets.1", 512, 512);
        int prev = 512;
        for (int i = 0; i < 4; i++) {
            int o = VAE_CH[3 - i];
            String b = "decoder.up_blocks." + i;
            for (int j = 0; j < 3; j++) {
                vaeResnet(b + ".resnets." + j, j == 0 ? prev : o, o);
                temporalConv(b + ".temp_convs." + j, o, 3);
            }
            if (i < 3) {
                conv(b + ".upsamplers.0.conv", o, o, 3);
            }
            prev = o;
        }
        vector("decoder.conv_norm_out", 128);
        conv("decoder.conv_out", 128, 3, 3);
    }

    private void writeSafetensors(Path file, String prefix) throws IOException {
        StringBuilder header = new StringBuilder("{");
        long offset = 0;
        for (Map.Entry<String, long[]> e : tensors.entrySet()) {
            long n = count(e.getValue());
            if (header.length() > 1) {
                header.append(',');
            }
            header.append('"').append(prefix).append(e.getKey()).append("\":{\"dtype\":\"F16\",\"shape\":[");
            for (int i = 0; i < e.getValue().length; i++) {
                header.append(i == 0 ? "" : ",").append(e.getValue()[i]);
            }
            header.append("],\"data_offsets\":[").append(offset).append(',').append(offset + 2 * n).append("]}");
            offset += 2 * n;
        }
        header.append('}');
        while ((header.length() + 8) % 8 != 0) {
            header.append(' ');
        }
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
            out.write(len.array());
            out.write(h);
            byte[] block = new byte[1 << 17];
            for (Map.Entry<String, long[]> e : tensors.entrySet()) {
                fill(block, e.getKey(), e.getValue());
                long bytes = 2 * count(e.getValue());
                while (bytes > 0) {
                    int k = (int) Math.min(bytes, block.length);
                    out.write(block, 0, k);
                    bytes -= k;
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private void fill(byte[] block, String name, long[] shape) {
        // every 1-D tensor is a norm's weight or a bias (conv and linear weights have 2+ axes)
        boolean norm = shape.length == 1;
        float bound = (float) (1.0 / Math.sqrt(fanIn(shape)));
        for (int i = 0; i < block.length; i += 2) {
            float v;
            if (norm) {
                v = name.endsWith(".weight") ? 1f : 0f;
            } else {
                v = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            short bits = toHalf(v);
            block[i] = (byte) bits;
            block[i + 1] = (byte) (bits >> 8);
        }
    }

    private static long fanIn(long[] shape) {
        long f = 1;
        for (int i = 1; i < shape.length; i++) {
            f *= shape[i];
        }
        return Math.max(f, 1);
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** fp32 → fp16 bits, truncating; enough for values in the normal fp16 range and zero. */
    static short toHalf(float v) {
        int f = Float.floatToRawIntBits(v);
        int sign = (f >>> 16) & 0x8000;
        int exp = ((f >>> 23) & 0xff) - 127 + 15;
        int mant = (f >>> 13) & 0x3ff;
        if (exp <= 0) {
            return (short) sign;
        }
        if (exp >= 31) {
            return (short) (sign | 0x7bff);
        }
        return (short) (sign | (exp << 10) | mant);
    }

    private static final String UNET_CONFIG = "{\n  \"_class_name\": \"UNet2DConditionModel\",\n"
            + "  \"_diffusers_version\": \"0.10.0.dev0\",\n  \"act_fn\": \"silu\",\n"
            + "  \"attention_head_dim\": [5, 10, 20, 20],\n  \"block_out_channels\": [320, 640, 1280, 1280],\n"
            + "  \"center_input_sample\": false,\n  \"cross_attention_dim\": 1024,\n"
            + "  \"down_block_types\": [\"CrossAttnDownBlock2D\", \"CrossAttnDownBlock2D\", \"CrossAttnDownBlock2D\", \"DownBlock2D\"],\n"
            + "  \"downsample_padding\": 1,\n  \"dual_cross_attention\": false,\n  \"flip_sin_to_cos\": true,\n"
            + "  \"freq_shift\": 0,\n  \"in_channels\": 4,\n  \"layers_per_block\": 2,\n  \"mid_block_scale_factor\": 1,\n"
            + "  \"norm_eps\": 1e-05,\n  \"norm_num_groups\": 32,\n  \"num_class_embeds\": null,\n"
            + "  \"only_cross_attention\": false,\n  \"out_channels\": 4,\n  \"sample_size\": 96,\n"
            + "  \"up_block_types\": [\"UpBlock2D\", \"CrossAttnUpBlock2D\", \"CrossAttnUpBlock2D\", \"CrossAttnUpBlock2D\"],\n"
            + "  \"upcast_attention\": false,\n  \"use_linear_projection\": true\n}\n";

    private static final String TEXT_CONFIG = "{\n  \"architectures\": [\"CLIPTextModel\"],\n"
            + "  \"attention_dropout\": 0.0,\n  \"bos_token_id\": 0,\n  \"dropout\": 0.0,\n  \"eos_token_id\": 2,\n"
            + "  \"hidden_act\": \"gelu\",\n  \"hidden_size\": 1024,\n  \"initializer_factor\": 1.0,\n"
            + "  \"initializer_range\": 0.02,\n  \"intermediate_size\": 4096,\n  \"layer_norm_eps\": 1e-05,\n"
            + "  \"max_position_embeddings\": 77,\n  \"model_type\": \"clip_text_model\",\n"
            + "  \"num_attention_heads\": 16,\n  \"num_hidden_layers\": 23,\n  \"pad_token_id\": 1,\n"
            + "  \"projection_dim\": 512,\n  \"torch_dtype\": \"float16\",\n  \"vocab_size\": 49408\n}\n";

    private static final String SCHEDULER_CONFIG = "{\n  \"_class_name\": \"PNDMScheduler\",\n"
            + "  \"_diffusers_version\": \"0.10.0.dev0\",\n  \"beta_end\": 0.012,\n"
            + "  \"beta_schedule\": \"scaled_linear\",\n  \"beta_start\": 0.00085,\n  \"clip_sample\": false,\n"
            + "  \"num_train_timesteps\": 1000,\n  \"prediction_type\": \"epsilon\",\n  \"set_alpha_to_one\": false,\n"
            + "  \"skip_prk_steps\": true,\n  \"steps_offset\": 1,\n  \"trained_betas\": null\n}\n";

    private static final String VAE_CONFIG = "{\n  \"_class_name\": \"TemporalAutoencoderKL\",\n"
            + "  \"_diffusers_version\": \"0.14.0\",\n  \"act_fn\": \"silu\",\n"
            + "  \"block_out_channels\": [128, 256, 512, 512],\n"
            + "  \"down_block_types\": [\"DownEncoderBlock2D\", \"DownEncoderBlock2D\", \"DownEncoderBlock2D\", \"DownEncoderBlock2D\"],\n"
            + "  \"in_channels\": 3,\n  \"latent_channels\": 4,\n  \"layers_per_block\": 2,\n  \"norm_num_groups\": 32,\n"
            + "  \"out_channels\": 3,\n  \"sample_size\": 768,\n"
            + "  \"up_block_types\": [\"UpDecoderBlock2D\", \"UpDecoderBlock2D\", \"UpDecoderBlock2D\", \"UpDecoderBlock2D\"],\n"
            + "  \"add_temp_conv\": true,\n  \"scaling_factor\": 0.18215\n}\n";
}
