/**
 * Training on the project's own modules with DJL autograd: freshly initialised models written in
 * the official layout, bound through the normal loaders with their weights exposed as parameters,
 * and updated by Adam. So far the VAE (full reconstruction training and the paper's decoder
 * temporal fine-tuning with zero-initialised temporal layers).
 */
package io.vidrd.demo.train;
