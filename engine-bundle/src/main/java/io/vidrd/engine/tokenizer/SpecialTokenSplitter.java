package io.vidrd.engine.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Cuts special tokens out of a prompt before cleanup and BPE, as transformers' added-token trie
 * does: at each position the earliest, then longest, special token wins, and the text between
 * special tokens is kept as ordinary pieces. (Whitespace around special tokens needs no handling
 * here: every ordinary piece is stripped later anyway.)
 */
final class SpecialTokenSplitter {

    /**
     * One piece of a prompt.
     *
     * @param text the piece
     * @param special whether it is a whole special token
     */
    record Piece(String text, boolean special) {
    }

    private final List<String> tokens;

    SpecialTokenSplitter(Set<String> specialTokens) {
        this.tokens = List.copyOf(specialTokens);
    }

    /** @return the pieces of the text, in order; empty ordinary pieces are left out */
    List<Piece> split(String text) {
        List<Piece> pieces = new ArrayList<>();
        int plainStart = 0;
        int i = 0;
        while (i < text.length()) {
            String match = longestAt(text, i);
            if (match == null) {
                i++;
                continue;
            }
            if (i > plainStart) {
                pieces.add(new Piece(text.substring(plainStart, i), false));
            }
            pieces.add(new Piece(match, true));
            i += match.length();
            plainStart = i;
        }
        if (plainStart < text.length()) {
            pieces.add(new Piece(text.substring(plainStart), false));
        }
        return pieces;
    }

    private String longestAt(String text, int index) {
        String best = null;
        for (String token : tokens) {
            if (text.startsWith(token, index) && (best == null || token.length() > best.length())) {
                best = token;
            }
        }
        return best;
    }
}
