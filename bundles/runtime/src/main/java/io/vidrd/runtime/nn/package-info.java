/**
 * Neural-network building blocks shared by the U-Net, the text encoder and the VAE: a strict
 * weight binder ({@link io.vidrd.runtime.nn.WeightBinding}, {@link io.vidrd.runtime.nn.Weights})
 * and one small class per layer type, each bound once to checkpoint tensors and evaluated with
 * DJL's PyTorch engine.
 *
 * <p>Conventions: video tensors are {@code [B, C, F, H, W]}; image tensors {@code [N, C, H, W]};
 * token tensors {@code [N, L, C]}. Blocks keep their weights on the manager they were loaded into;
 * {@code forward} creates its temporaries on the manager of its input, so a caller that runs each
 * step in a sub-manager of its own and closes it releases every temporary of that step.
 *
 * <p>1.1.0: {@link io.vidrd.runtime.nn.WeightBinding.TensorLoader}, so a weight store can share
 * loaded tensors between models.
 *
 * <p>1.2.0: {@link io.vidrd.runtime.nn.TimestepProjection#frequencies} and the two-argument
 * {@code forward}, and {@link io.vidrd.runtime.nn.ScaledDotProductAttention} with an array scale,
 * so callers can make these constants once per job instead of uploading them per call.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.vidrd.runtime.nn;
