/**
 * CLIP text tokenisation for the VidRD text encoder: a faithful re-implementation of
 * transformers 4.30.2's slow {@code CLIPTokenizer} (byte-level BPE, ftfy-style cleanup, SD 2.x
 * special tokens with {@code "!"} as padding), producing the fixed-length id sequences the CLIP
 * text model consumes. Internal to the engine bundle; not exported.
 */
package io.vidrd.engine.tokenizer;
