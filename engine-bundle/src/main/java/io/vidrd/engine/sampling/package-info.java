/**
 * VidRD sampling: prompt conditioning for classifier-free guidance, the guided DDIM step and the
 * long-video loop of the official pipeline (initial noise, frame-level noise reversion, past-dependent
 * noise sampling, denoising with staged guidance), clip by clip.
 */
package io.vidrd.engine.sampling;
