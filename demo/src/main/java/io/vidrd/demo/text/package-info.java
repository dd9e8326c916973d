/** A byte-level BPE vocabulary for the synthetic caption language, written in CLIP's tokenizer format. */
package io.vidrd.demo.text;
