package io.vidrd.engine.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CLIP's BPE over one pre-token (already in the byte alphabet): {@code </w>} is appended to the
 * last symbol, then the adjacent pair with the lowest merge rank is merged everywhere, left to
 * right, until no ranked pair remains — the loop of transformers' {@code CLIPTokenizer.bpe}.
 *
 * <p>Results are memoised per instance, as the reference does; the memo is bounded so that a
 * long-running service fed arbitrary prompts cannot grow it without limit.
 */
final class BytePairEncoder {

    static final String END_OF_WORD = "</w>";
    private static final int CACHE_LIMIT = 100_000;

    private final Map<String, Integer> ranks;
    private final Map<String, List<String>> cache = new ConcurrentHashMap<>();

    /**
     * @param ranks merge rank by {@code first + " " + second}; symbols never contain a space
     *     because the byte alphabet maps the space byte elsewhere
     * @param verbatim words returned as one symbol without BPE (CLIP seeds its cache with
     *     {@code <|startoftext|>} and {@code <|endoftext|>})
     */
    BytePairEncoder(Map<String, Integer> ranks, List<String> verbatim) {
        this.ranks = Map.copyOf(ranks);
        for (String word : verbatim) {
            cache.put(word, List.of(word));
        }
    }

    /** @return the BPE symbols of one pre-token, in order */
    List<String> encode(String word) {
        List<String> cached = cache.get(word);
        if (cached != null) {
            return cached;
        }
        List<String> symbols = merge(word);
        if (cache.size() < CACHE_LIMIT) {
            cache.put(word, symbols);
        }
        return symbols;
    }

    private List<String> merge(String word) {
        if (word.isEmpty()) {
            return List.of();
        }
        List<String> symbols = new ArrayList<>(word.length());
        for (int i = 0; i < word.length() - 1; i++) {
            symbols.add(String.valueOf(word.charAt(i)));
        }
        symbols.add(word.charAt(word.length() - 1) + END_OF_WORD);
        while (symbols.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            String first = null;
            String second = null;
            for (int i = 0; i < symbols.size() - 1; i++) {
                Integer rank = ranks.get(symbols.get(i) + " " + symbols.get(i + 1));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    first = symbols.get(i);
                    second = symbols.get(i + 1);
                }
            }
            if (first == null) {
                break;
            }
            List<String> merged = new ArrayList<>(symbols.size());
            int i = 0;
            while (i < symbols.size()) {
                if (i < symbols.size() - 1 && symbols.get(i).equals(first)
                        && symbols.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i += 2;
                } else {
                    merged.add(symbols.get(i));
                    i++;
                }
            }
            symbols = merged;
        }
        return List.copyOf(symbols);
    }
}
