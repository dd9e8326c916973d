package io.vidrd.demo.train;

import io.vidrd.engine.text.ClipTextConfig;
import io.vidrd.engine.unet.UNetConfig;
import java.util.List;

/**
 * The sizes of the embedded demo model: small enough that a 4-clip video generates on a 2-core
 * CPU in well under a minute, large enough for flat shapes in 8 colours moving in 8 directions.
 *
 * @param size frame width and height in pixels
 * @param frames frames per training clip (N)
 * @param vaeChannels VAE {@code block_out_channels} (scale factor 2^(levels − 1))
 * @param latentChannels VAE latent channels (the U-Net's in/out channels)
 * @param unetChannels U-Net {@code block_out_channels}
 * @param unetHeads U-Net heads per level ({@code attention_head_dim})
 * @param textWidth text encoder width (= the U-Net's cross-attention width)
 * @param textLayers text encoder layers
 * @param textHeads text encoder heads
 * @param tokens ids per prompt including BOS and EOS ({@code model_max_length})
 */
public record DemoModelSpec(int size, int frames, List<Integer> vaeChannels, int latentChannels,
        List<Integer> unetChannels, List<Integer> unetHeads, int textWidth, int textLayers, int textHeads,
        int tokens) {

    /** Copies the lists. */
    public DemoModelSpec {
        vaeChannels = List.copyOf(vaeChannels);
        unetChannels = List.copyOf(unetChannels);
        unetHeads = List.copyOf(unetHeads);
    }

    /** @return the shipped model's sizes: 32×32, 8 frames, latent 16×16×4 */
    public static DemoModelSpec standard() {
        return new DemoModelSpec(32, 8, List.of(32, 32), 4, List.of(32, 64, 64), List.of(1, 2, 2), 64, 2, 2, 24);
    }

    /** @return a model small enough for fast CPU tests (16×16, 4 frames) */
    public static DemoModelSpec tiny() {
        return new DemoModelSpec(16, 4, List.of(32, 32), 4, List.of(32, 32), List.of(1, 1), 32, 1, 1, 24);
    }

    /** @return the U-Net configuration (VidRD's official temporal flags) */
    public UNetConfig unetConfig() {
        return new UNetConfig(latentChannels, latentChannels, unetChannels, 1, unetHeads, textWidth, 32, 1e-5f, true,
                0f, 1, 1f, UNetConfig.TemporalFlags.official());
    }

    /**
     * @param vocabSize ids of the caption vocabulary
     * @return the text encoder configuration
     */
    public ClipTextConfig textConfig(int vocabSize) {
        return new ClipTextConfig(vocabSize, textWidth, textLayers, textHeads, 4 * textWidth, tokens, 1e-5f, "gelu");
    }

    /** @return pixels per latent cell */
    public int vaeScale() {
        return 1 << (vaeChannels.size() - 1);
    }
}
