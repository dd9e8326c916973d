/**
 * The DDIM noise schedule and deterministic (η = 0) update of diffusers 0.14, as VidRD's
 * pipeline uses it: fp32 β/ᾱ tables bit-identical to PyTorch's, "leading" timestep spacing, and
 * the fp32 step coefficients. Internal to the engine bundle; not exported.
 */
package io.vidrd.engine.schedule;
