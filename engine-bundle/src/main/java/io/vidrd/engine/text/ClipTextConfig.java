package io.vidrd.engine.text;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fields of a transformers {@code CLIPTextConfig} ({@code text_encoder/config.json}) that the
 * forward pass depends on.
 *
 * @param vocabSize token embedding rows
 * @param hiddenSize D
 * @param layers number of encoder layers
 * @param heads attention heads
 * @param intermediateSize MLP width
 * @param maxPositions position embedding rows (77)
 * @param layerNormEps LayerNorm eps
 * @param hiddenAct {@code gelu} (exact erf) or {@code quick_gelu}
 */
public record ClipTextConfig(int vocabSize, int hiddenSize, int layers, int heads, int intermediateSize,
        int maxPositions, float layerNormEps, String hiddenAct) {

    /** @throws IllegalArgumentException if the values cannot describe a CLIP text model */
    public ClipTextConfig {
        if (heads <= 0 || hiddenSize % heads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not divisible by num_attention_heads " + heads);
        }
        if (!hiddenAct.equals("gelu") && !hiddenAct.equals("quick_gelu")) {
            throw new IllegalArgumentException("hidden_act '" + hiddenAct + "' is not supported; allowed: gelu, quick_gelu");
        }
    }

    /**
     * @param configJson {@code text_encoder/config.json}
     * @return the configuration (transformers defaults for absent fields)
     * @throws IOException if the file cannot be read or is not valid JSON; the message names the file
     */
    public static ClipTextConfig read(Path configJson) throws IOException {
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(configJson, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(configJson + ": not a JSON object: " + e.getMessage(), e);
        }
        try {
            return new ClipTextConfig(
                    intOr(o, "vocab_size", 49408),
                    intOr(o, "hidden_size", 512),
                    intOr(o, "num_hidden_layers", 12),
                    intOr(o, "num_attention_heads", 8),
                    intOr(o, "intermediate_size", 2048),
                    intOr(o, "max_position_embeddings", 77),
                    o.has("layer_norm_eps") ? o.get("layer_norm_eps").getAsFloat() : 1e-5f,
                    o.has("hidden_act") ? o.get("hidden_act").getAsString() : "quick_gelu");
        } catch (IllegalArgumentException | ClassCastException | UnsupportedOperationException e) {
            throw new IOException(configJson + ": " + e.getMessage(), e);
        }
    }

    private static int intOr(JsonObject o, String key, int fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsInt();
    }

    /** @return head size D / heads */
    public int headDim() {
        return hiddenSize / heads;
    }
}
