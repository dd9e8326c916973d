package io.vidrd.engine.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
        Map<String, Object> config = readObject(dir.resolve(CONFIG_FILE), true);
        Path mapFile = dir.resolve(MAP_FILE);
        Map<String, Object> map = readObject(mapFile, false);
        Object maxLength = config.get("model_max_length");
        if (!(maxLength instanceof Long) || (Long) maxLength < 2 || (Long) maxLength > 1 << 20) {
            throw new IOException(dir.resolve(CONFIG_FILE) + ": model_max_length must be an integer"
                    + " between 2 and 2^20, found " + maxLength);
        }
        String bos = token("bos_token", "<|startoftext|>", config, map, dir);
        String eos = token("eos_token", "<|endoftext|>", config, map, dir);
        String unk = token("unk_token", "<|endoftext|>", config, map, dir);
        String pad = token("pad_token", "<|endoftext|>", config, map, dir);
        Set<String> noSplit = new LinkedHashSet<>(List.of(bos, eos, unk, pad));
        noSplit.addAll(additional(map.containsKey("additional_special_tokens") ? map : config, dir));
        return new SpecialTokens(((Long) maxLength).intValue(), bos, eos, unk, pad, noSplit);
    }

    private static String token(String key, String fallback, Map<String, Object> config,
            Map<String, Object> map, Path dir) throws IOException {
        if (map.containsKey(key) && map.get(key) != Json.NULL) {
            return content(map.get(key), dir.resolve(MAP_FILE), key);
        }
        if (config.containsKey(key) && config.get(key) != Json.NULL) {
            return content(config.get(key), dir.resolve(CONFIG_FILE), key);
        }
        return fallback;
    }

    private static List<String> additional(Map<String, Object> source, Path dir) throws IOException {
        Object value = source.get("additional_special_tokens");
        if (value == null || value == Json.NULL) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IOException(dir + ": additional_special_tokens must be a list");
        }
        List<String> tokens = new ArrayList<>();
        for (Object item : list) {
            tokens.add(content(item, dir, "additional_special_tokens"));
        }
        return tokens;
    }

    private static String content(Object value, Path file, String key) throws IOException {
        if (value instanceof String s && !s.isEmpty()) {
            return s;
        }
        if (value instanceof Map<?, ?> m && m.get("content") instanceof String s && !s.isEmpty()) {
            return s;
        }
        throw new IOException(file + ": " + key + " must be a non-empty string or an object with"
                + " a \"content\" string, found " + value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readObject(Path file, boolean required) throws IOException {
        if (!Files.isRegularFile(file)) {
            if (required) {
                throw new IOException("tokenizer file missing: " + file);
            }
            return Map.of();
        }
        Object parsed;
        try {
            parsed = Json.parse(Files.readString(file), file.toString());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (!(parsed instanceof Map)) {
            throw new IOException(file + ": expected a JSON object");
        }
        return (Map<String, Object>) parsed;
    }
}
