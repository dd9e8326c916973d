package io.vidrd.engine.tokenizer;

import java.util.Arrays;

/**
 * A prompt as the CLIP text encoder takes it: {@code [BOS, t1 … tn, EOS, pad …]}, exactly
 * {@code model_max_length} ids, plus what was lost to truncation so callers can warn the way the
 * official pipeline does.
 *
 * @param ids the token ids, {@code model_max_length} of them (a copy is kept and returned)
 * @param contentTokenCount number of ids the prompt produced between BOS and EOS before
 *     truncation
 * @param truncatedText the decoded text of the ids that were cut off, as the pipeline's
 *     warning shows it; empty when nothing was cut
 */
public record TokenizedPrompt(int[] ids, int contentTokenCount, String truncatedText) {

    /** Validates and copies the ids so the record stays immutable. */
    public TokenizedPrompt {
        ids = ids.clone();
        if (ids.length < 2 || contentTokenCount < 0 || truncatedText == null) {
            throw new IllegalArgumentException("invalid tokenized prompt");
        }
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    /** @return the ids widened to int64, the dtype the text encoder's embedding lookup takes */
    public long[] idsAsLong() {
        return Arrays.stream(ids).asLongStream().toArray();
    }

    /** @return number of ids including BOS, EOS and padding ({@code model_max_length}) */
    public int length() {
        return ids.length;
    }

    /** @return whether content tokens were dropped to fit BOS and EOS into the length */
    public boolean truncated() {
        return contentTokenCount > ids.length - 2;
    }

    /**
     * @return the warning the official pipeline logs for a truncated prompt, or empty when
     *     nothing was truncated
     */
    public String truncationWarning() {
        if (!truncated()) {
            return "";
        }
        return "The following part of your input was truncated because CLIP can only handle"
                + " sequences up to " + ids.length + " tokens: " + truncatedText;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenizedPrompt p && Arrays.equals(ids, p.ids)
                && contentTokenCount == p.contentTokenCount && truncatedText.equals(p.truncatedText);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(ids) + contentTokenCount) + truncatedText.hashCode();
    }

    @Override
    public String toString() {
        return "TokenizedPrompt[ids=" + Arrays.toString(ids) + ", contentTokenCount="
                + contentTokenCount + ", truncated=" + truncated() + "]";
    }
}
