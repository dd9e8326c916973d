package io.vidrd.engine.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vidrd.engine.text.ClipTextEncoder;
import io.vidrd.engine.tokenizer.ClipTokenizer;
import io.vidrd.engine.tokenizer.TokenizedPrompt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Turns prompts into the text batch the U-Net sees, as the pipeline's {@code _encode_prompt}
 * (VIDRD.md §2.3): every prompt tokenized to 77 ids and encoded on its own; with guidance
 * ({@code w > 1}) the batch is {@code [uncond × B ; cond × B]}, unconditional rows first, from the
 * negative prompt or the empty string. Truncated positive prompts are reported once per prompt
 * through the warning callback, with the pipeline's message.
 *
 * <p>One instance belongs to one job: it caches the encoded states per prompt string on its own
 * sub-manager, which {@link #close} releases (and with it every array it returned).
 */
public final class PromptEncoder implements AutoCloseable {

    private final ClipTokenizer tokenizer;
    private final ClipTextEncoder encoder;
    private final NDManager manager;
    private final Consumer<String> warnings;
    private final Map<String, NDArray> states = new HashMap<>();
    private final Map<List<Object>, NDArray> batches = new HashMap<>();

    /**
     * @param tokenizer the CLIP tokenizer
     * @param encoder the CLIP text encoder
     * @param jobManager the job's manager; the cache lives on a sub-manager of it
     * @param warnings receives truncation warnings
     */
    public PromptEncoder(ClipTokenizer tokenizer, ClipTextEncoder encoder, NDManager jobManager,
            Consumer<String> warnings) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.manager = jobManager.newSubManager();
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /**
     * @param prompt any text (empty is the unconditional prompt)
     * @return its {@code [1, 77, D]} last hidden state, owned by this encoder
     */
    public NDArray embed(String prompt) {
        return embed(prompt, false);
    }

    private NDArray embed(String prompt, boolean warn) {
        NDArray cached = states.get(prompt);
        if (cached != null) {
            return cached;
        }
        TokenizedPrompt tokens = tokenizer.encode(prompt);
        if (warn && tokens.truncated()) {
            warnings.accept(tokens.truncationWarning());
        }
        NDArray out;
        try (NDManager m = manager.newSubManager()) {
            NDArray ids = m.create(tokens.idsAsLong(), new Shape(1, tokens.length()));
            out = encoder.forward(ids);
            out.attach(manager);
        }
        states.put(prompt, out);
        return out;
    }

    /**
     * @param prompts the B prompts
     * @param negativePrompt the unconditional text of every row, {@code null} for the empty string
     * @param guidanceScale w; the unconditional rows are added only when {@code w > 1}
     * @return {@code [2B, 77, D]} (unconditional first) or {@code [B, 77, D]}, owned by this encoder
     */
    public NDArray conditioning(List<String> prompts, String negativePrompt, double guidanceScale) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("at least one prompt is needed");
        }
        boolean guided = guidanceScale > 1.0;
        String negative = negativePrompt == null ? "" : negativePrompt;
        List<Object> key = List.of(List.copyOf(prompts), guided ? negative : "", guided);
        NDArray cached = batches.get(key);
        if (cached != null) {
            return cached;
        }
        List<NDArray> rows = new ArrayList<>();
        if (guided) {
            for (int i = 0; i < prompts.size(); i++) {
                rows.add(embed(negative, false));
            }
        }
        for (String p : prompts) {
            rows.add(embed(p, true));
        }
        NDArray batch = rows.size() == 1 ? rows.get(0) : NDArrays.concat(new NDList(rows), 0);
        batches.put(key, batch);
        return batch;
    }

    /**
     * A prompt schedule for batch size 1: clip k is conditioned on {@code promptForClip(k)}; one
     * prompt for all clips gives the official behaviour.
     *
     * @param promptForClip the prompt of each clip
     * @param negativePrompt the unconditional text, {@code null} for the empty string
     * @param guidanceScale w
     * @return the clips' conditioning, backed by this encoder's cache
     */
    public ClipConditioning schedule(IntFunction<String> promptForClip, String negativePrompt, double guidanceScale) {
        return clip -> conditioning(List.of(promptForClip.apply(clip)), negativePrompt, guidanceScale);
    }

    /** Releases every array this encoder returned. */
    @Override
    public void close() {
        states.clear();
        batches.clear();
        manager.close();
    }
}
