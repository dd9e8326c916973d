package io.vidrd.engine.tokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.vidrd.engine.json.JsonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The special tokens and length limit of a tokenizer folder, resolved the way transformers 4.30
 * does: {@code special_tokens_map.json} (optional) overrides {@code tokenizer_config.json}, which
 * overrides CLIPTokenizer's defaults. Each token may be a plain string or an AddedToken object
 * ({@code {"content": ...}}).
 *
 * @param modelMaxLength total sequence length including BOS and EOS ({@code model_max_length})
 * @param bos the beginning-of-text token
 * @param eos the end-of-text token
 * @param unk the token used for pieces missing from the vocabulary
 * @param pad the padding token ({@code "!"} in SD 2.x, {@code <|endoftext|>} in SD 1.x)
 * @param noSplit every special token, which is cut out of the text before any other processing
 */
record SpecialTokens(int modelMaxLength, String bos, String eos, String unk, String pad,
        Set<String> noSplit) {

    static final String CONFIG_FILE = "tokenizer_config.json";
    static final String MAP_FILE = "special_tokens_map.json";

    SpecialTokens {
        noSplit = Set.copyOf(noSplit);
    }

    /**
     * @param dir the tokenizer folder
     * @return the resolved special tokens
     * @throws IOException naming the file that is missing or malformed
     */
    static SpecialTokens read(Path dir) throws IOException {
        JsonObject config = readObject(dir.resolve(CONFIG_FILE), true);
        Path mapFile = dir.resolve(MAP_FILE);
        JsonObject map = readObject(mapFile, false);
        Long maxLength = JsonFiles.integral(config.get("model_max_length"));
        if (maxLength == null || maxLength < 2 || maxLength > 1 << 20) {
            throw new IOException(dir.resolve(CONFIG_FILE) + ": model_max_length must be an integer"
                    + " between 2 and 2^20, found " + JsonFiles.display(config.get("model_max_length")));
        }
        String bos = token("bos_token", "<|startoftext|>", config, map, dir);
        String eos = token("eos_token", "<|endoftext|>", config, map, dir);
        String unk = token("unk_token", "<|endoftext|>", config, map, dir);
        String pad = token("pad_token", "<|endoftext|>", config, map, dir);
        Set<String> noSplit = new LinkedHashSet<>(List.of(bos, eos, unk, pad));
        noSplit.addAll(additional(map.has("additional_special_tokens") ? map : config, dir));
        return new SpecialTokens(maxLength.intValue(), bos, eos, unk, pad, noSplit);
    }

    private static String token(String key, String fallback, JsonObject config, JsonObject map,
            Path dir) throws IOException {
        JsonElement fromMap = JsonFiles.present(map.get(key));
        if (fromMap != null) {
            return content(fromMap, dir.resolve(MAP_FILE), key);
        }
        JsonElement fromConfig = JsonFiles.present(config.get(key));
        if (fromConfig != null) {
            return content(fromConfig, dir.resolve(CONFIG_FILE), key);
        }
        return fallback;
    }

    private static List<String> additional(JsonObject source, Path dir) throws IOException {
        JsonElement value = JsonFiles.present(source.get("additional_special_tokens"));
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof JsonArray list)) {
            throw new IOException(dir + ": additional_special_tokens must be a list");
        }
        List<String> tokens = new ArrayList<>();
        for (JsonElement item : list) {
            tokens.add(content(item, dir, "additional_special_tokens"));
        }
        return tokens;
    }

    private static String content(JsonElement value, Path file, String key) throws IOException {
        if (nonEmptyString(value) != null) {
            return nonEmptyString(value);
        }
        if (value instanceof JsonObject m && nonEmptyString(m.get("content")) != null) {
            return nonEmptyString(m.get("content"));
        }
        throw new IOException(file + ": " + key + " must be a non-empty string or an object with"
                + " a \"content\" string, found " + JsonFiles.display(value));
    }

    private static String nonEmptyString(JsonElement value) {
        return value instanceof JsonPrimitive p && p.isString() && !p.getAsString().isEmpty()
                ? p.getAsString() : null;
    }

    private static JsonObject readObject(Path file, boolean required) throws IOException {
        if (!Files.isRegularFile(file)) {
            if (required) {
                throw new IOException("tokenizer file missing: " + file);
            }
            return new JsonObject();
        }
        if (!(JsonFiles.read(file) instanceof JsonObject object)) {
            throw new IOException(file + ": expected a JSON object");
        }
        return object;
    }
}
