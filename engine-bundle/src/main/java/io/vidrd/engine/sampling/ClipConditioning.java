package io.vidrd.engine.sampling;

import ai.djl.ndarray.NDArray;

/**
 * The text states each clip is denoised with: {@code [2B, L, D]} with the unconditional rows
 * first when guidance is on, {@code [B, L, D]} otherwise. The arrays stay owned by the supplier
 * (the sampler never closes them); one array for every clip is the official behaviour.
 */
@FunctionalInterface
public interface ClipConditioning {

    /**
     * @param clip clip index from 0
     * @return that clip's text batch, valid until sampling ends
     */
    NDArray forClip(int clip);

    /**
     * @param text the text batch for every clip
     * @return a conditioning that always answers {@code text}
     */
    static ClipConditioning constant(NDArray text) {
        return clip -> text;
    }
}
