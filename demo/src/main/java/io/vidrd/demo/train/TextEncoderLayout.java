package io.vidrd.demo.train;

import io.vidrd.engine.text.ClipTextConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensor keys and shapes of a transformers {@code CLIPTextModel} for a configuration, under
 * {@code text_model.} as transformers 4.x writes them (without the constant {@code position_ids}
 * buffer, which newer versions no longer save and the engine ignores).
 */
public final class TextEncoderLayout {

    /** Key prefix of every tensor. */
    public static final String PREFIX = "text_model.";

    private TextEncoderLayout() {
    }

    /**
     * @param c the configuration
     * @return key → shape, in a stable order
     */
    public static Map<String, long[]> shapes(ClipTextConfig c) {
        Map<String, long[]> m = new LinkedHashMap<>();
        long d = c.hiddenSize();
        m.put(PREFIX + "embeddings.token_embedding.weight", new long[] {c.vocabSize(), d});
        m.put(PREFIX + "embeddings.position_embedding.weight", new long[] {c.maxPositions(), d});
        for (int l = 0; l < c.layers(); l++) {
            String p = PREFIX + "encoder.layers." + l;
            for (String proj : List.of("q_proj", "k_proj", "v_proj", "out_proj")) {
                m.put(p + ".self_attn." + proj + ".weight", new long[] {d, d});
                m.put(p + ".self_attn." + proj + ".bias", new long[] {d});
            }
            m.put(p + ".layer_norm1.weight", new long[] {d});
            m.put(p + ".layer_norm1.bias", new long[] {d});
            m.put(p + ".mlp.fc1.weight", new long[] {c.intermediateSize(), d});
            m.put(p + ".mlp.fc1.bias", new long[] {c.intermediateSize()});
            m.put(p + ".mlp.fc2.weight", new long[] {d, c.intermediateSize()});
            m.put(p + ".mlp.fc2.bias", new long[] {d});
            m.put(p + ".layer_norm2.weight", new long[] {d});
            m.put(p + ".layer_norm2.bias", new long[] {d});
        }
        m.put(PREFIX + "final_layer_norm.weight", new long[] {d});
        m.put(PREFIX + "final_layer_norm.bias", new long[] {d});
        return m;
    }
}
