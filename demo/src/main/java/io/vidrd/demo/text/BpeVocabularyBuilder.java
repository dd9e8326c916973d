package io.vidrd.demo.text;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Learns a small byte-level BPE vocabulary from captions and writes it as a CLIP tokenizer folder
 * ({@code vocab.json}, {@code merges.txt}, {@code tokenizer_config.json},
 * {@code special_tokens_map.json}) that the engine's {@code ClipTokenizer} loads unchanged.
 *
 * <p>Layout as in CLIP: ids 0–255 are the byte alphabet in {@code bytes_to_unicode} order, 256–511
 * the same symbols with {@code </w>}, then one id per merge in merge order, then
 * {@code <|startoftext|>} and {@code <|endoftext|>}; the pad token is {@code "!"} (id 0) as in
 * SD 2.x. Training is the classic loop: count adjacent symbol pairs over word frequencies, merge
 * the most frequent (ties broken by the pair's text, so the result is deterministic), repeat.
 * Captions are pre-tokenised like the tokenizer does (lower case, CLIP's pattern); the caption
 * language is plain ASCII, so ftfy-style cleaning changes nothing here.
 */
public final class BpeVocabularyBuilder {

    /** The same pre-token pattern as CLIP (and {@code ClipTokenizer}). */
    private static final Pattern PRE_TOKEN = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]"
                    + "|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final String END_OF_WORD = "</w>";
    /** Beginning-of-text token. */
    public static final String BOS = "<|startoftext|>";
    /** End-of-text token (also the unknown token). */
    public static final String EOS = "<|endoftext|>";

    private final int maxMerges;
    private final int minPairCount;

    /**
     * @param maxMerges upper bound on merges (vocabulary size is 514 + merges)
     * @param minPairCount a pair seen fewer times is not merged
     */
    public BpeVocabularyBuilder(int maxMerges, int minPairCount) {
        if (maxMerges < 0 || minPairCount < 1) {
            throw new IllegalArgumentException("maxMerges >= 0 and minPairCount >= 1 required");
        }
        this.maxMerges = maxMerges;
        this.minPairCount = minPairCount;
    }

    /**
     * @param captions the training text
     * @return the learnt vocabulary
     */
    public Vocabulary build(List<String> captions) {
        char[] alphabet = byteAlphabet();
        Map<String, Integer> wordCounts = new HashMap<>();
        for (String caption : captions) {
            Matcher m = PRE_TOKEN.matcher(caption.toLowerCase(Locale.ROOT).trim());
            while (m.find()) {
                byte[] bytes = m.group().getBytes(StandardCharsets.UTF_8);
                StringBuilder w = new StringBuilder();
                for (byte b : bytes) {
                    w.append(alphabet[b & 0xFF]);
                }
                wordCounts.merge(w.toString(), 1, Integer::sum);
            }
        }
        List<List<String>> words = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        wordCounts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            List<String> symbols = new ArrayList<>();
            String word = e.getKey();
            for (int i = 0; i < word.length(); i++) {
                symbols.add(i == word.length() - 1 ? word.charAt(i) + END_OF_WORD : String.valueOf(word.charAt(i)));
            }
            words.add(symbols);
            counts.add(e.getValue());
        });
        LinkedHashMap<String, Integer> vocab = new LinkedHashMap<>();
        for (char c : orderedAlphabet(alphabet)) {
            vocab.put(String.valueOf(c), vocab.size());
        }
        for (char c : orderedAlphabet(alphabet)) {
            vocab.put(c + END_OF_WORD, vocab.size());
        }
        List<String[]> merges = new ArrayList<>();
        while (merges.size() < maxMerges) {
            Map<String, Integer> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<String> s = words.get(w);
                for (int i = 0; i + 1 < s.size(); i++) {
                    pairs.merge(s.get(i) + " " + s.get(i + 1), counts.get(w), Integer::sum);
                }
            }
            String best = null;
            int bestCount = 0;
            for (Map.Entry<String, Integer> e : pairs.entrySet()) {
                String merged = e.getKey().replace(" ", "");
                if (vocab.containsKey(merged)) {
                    // the same string reachable by two merges would take two ids; the loader
                    // counts merges from the vocabulary size, so every merge must add one
                    continue;
                }
                if (e.getValue() > bestCount || e.getValue() == bestCount && e.getKey().compareTo(best) < 0) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            if (best == null || bestCount < minPairCount) {
                break;
            }
            String[] pair = best.split(" ");
            merges.add(pair);
            vocab.put(pair[0] + pair[1], vocab.size());
            for (int w = 0; w < words.size(); w++) {
                words.set(w, apply(words.get(w), pair[0], pair[1]));
            }
        }
        vocab.put(BOS, vocab.size());
        vocab.put(EOS, vocab.size());
        return new Vocabulary(vocab, merges);
    }

    private static List<String> apply(List<String> s, String first, String second) {
        List<String> out = new ArrayList<>(s.size());
        int i = 0;
        while (i < s.size()) {
            if (i + 1 < s.size() && s.get(i).equals(first) && s.get(i + 1).equals(second)) {
                out.add(first + second);
                i += 2;
            } else {
                out.add(s.get(i++));
            }
        }
        return out;
    }

    /** GPT-2/CLIP {@code bytes_to_unicode}: printable Latin-1 bytes map to themselves, the rest to U+0100 upwards. */
    static char[] byteAlphabet() {
        char[] map = new char[256];
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE;
            map[b] = printable ? (char) b : (char) (256 + next++);
        }
        return map;
    }

    /** The alphabet in vocabulary order: printable bytes first, then the remapped ones, as {@code bytes_to_unicode} lists them. */
    private static char[] orderedAlphabet(char[] map) {
        char[] out = new char[256];
        int k = 0;
        for (int b = 0; b < 256; b++) {
            if (map[b] == b) {
                out[k++] = map[b];
            }
        }
        for (int b = 0; b < 256; b++) {
            if (map[b] != b) {
                out[k++] = map[b];
            }
        }
        return out;
    }

    /**
     * A learnt vocabulary.
     *
     * @param vocab token → id, in id order
     * @param merges merge rules in rank order
     */
    public record Vocabulary(Map<String, Integer> vocab, List<String[]> merges) {

        /** Copies. */
        public Vocabulary {
            vocab = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(vocab));
            merges = List.copyOf(merges);
        }

        /** @return number of ids (514 + merges) */
        public int size() {
            return vocab.size();
        }

        /**
         * Writes a diffusers {@code tokenizer/} folder.
         *
         * @param dir the folder (created if missing)
         * @param modelMaxLength ids per sequence including BOS and EOS; the text encoder's
         *     {@code max_position_embeddings} must be at least this
         * @throws IOException on write failure
         */
        public void write(Path dir, int modelMaxLength) throws IOException {
            Files.createDirectories(dir);
            Gson gson = new GsonBuilder().disableHtmlEscaping().create();
            Files.writeString(dir.resolve("vocab.json"), gson.toJson(vocab), StandardCharsets.UTF_8);
            StringBuilder m = new StringBuilder("#version: 0.2\n");
            for (String[] pair : merges) {
                m.append(pair[0]).append(' ').append(pair[1]).append('\n');
            }
            Files.writeString(dir.resolve("merges.txt"), m, StandardCharsets.UTF_8);
            JsonObject specials = new JsonObject();
            specials.addProperty("bos_token", BOS);
            specials.addProperty("eos_token", EOS);
            specials.addProperty("pad_token", "!");
            specials.addProperty("unk_token", EOS);
            JsonObject config = specials.deepCopy();
            config.addProperty("add_prefix_space", false);
            config.addProperty("do_lower_case", true);
            config.addProperty("errors", "replace");
            config.addProperty("model_max_length", modelMaxLength);
            config.addProperty("tokenizer_class", "CLIPTokenizer");
            Gson pretty = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create();
            Files.writeString(dir.resolve("tokenizer_config.json"), pretty.toJson(config), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("special_tokens_map.json"), pretty.toJson(specials), StandardCharsets.UTF_8);
        }
    }
}
