package io.vidrd.engine.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vidrd.engine.schedule.DdimCoefficients;
import io.vidrd.engine.schedule.DdimSchedule;
import io.vidrd.engine.unet.UNet3D;
import io.vidrd.engine.unet.UNetConstants;

/**
 * Every number the sampling loop feeds to the device, put there once per job: the timesteps, the
 * four DDIM factors of each step, the guidance scale, the noise-reuse weight and the U-Net's
 * {@link UNetConstants}.
 *
 * <p>Why: DJL turns a Java number operand ({@code x.mul(0.5f)}) into a fresh 0-dim array created
 * from the host, which on a GPU is a blocking host-to-device copy that waits for every queued
 * kernel. Made once, a step reads them as device arrays (0-dim fp32 views of one upload; a 0-dim
 * fp32 operand gives exactly what the float does, which the CPU golden tests pin) and copies
 * nothing from the host. They live on the manager given to {@link #create} and go with it.
 */
public final class SamplingConstants {

    private final int[] timesteps;
    private final NDArray[] timestepArrays;
    private final NDArray[][] ddim;
    private final NDArray guidance;
    private final NDArray reuseWeight;
    private final UNetConstants unet;

    private SamplingConstants(int[] timesteps, NDArray[] timestepArrays, NDArray[][] ddim, NDArray guidance,
            NDArray reuseWeight, UNetConstants unet) {
        this.timesteps = timesteps;
        this.timestepArrays = timestepArrays;
        this.ddim = ddim;
        this.guidance = guidance;
        this.reuseWeight = reuseWeight;
        this.unet = unet;
    }

    /**
     * @param manager the job's (run's) manager; its device is the model's
     * @param unet the noise predictor
     * @param schedule the DDIM schedule
     * @param plan the run's numbers
     * @return the constants, freed with {@code manager}
     */
    public static SamplingConstants create(NDManager manager, UNet3D unet, DdimSchedule schedule, SamplingPlan plan) {
        int steps = plan.steps();
        int[] ts = schedule.timesteps(steps);
        long[] tsLong = new long[steps];
        // one upload for all floats: 4 DDIM factors per step, then w, then the noise-reuse weight
        float[] f = new float[4 * steps + 2];
        for (int i = 0; i < steps; i++) {
            tsLong[i] = ts[i];
            DdimCoefficients c = schedule.coefficients(ts[i], steps);
            f[4 * i] = c.sqrtOneMinusAlpha();
            f[4 * i + 1] = c.sqrtAlpha();
            f[4 * i + 2] = c.sqrtAlphaPrev();
            f[4 * i + 3] = c.sqrtOneMinusAlphaPrev();
        }
        f[4 * steps] = (float) plan.guidanceScale();
        f[4 * steps + 1] = LatentNoise.reuseWeight(plan.noiseReuse());
        NDArray floats = manager.create(f);
        NDArray tsArray = manager.create(tsLong);
        NDArray[] tsViews = new NDArray[steps];
        NDArray[][] ddim = new NDArray[steps][4];
        for (int i = 0; i < steps; i++) {
            // the pipeline passes the scheduler's int64 timestep as a 1-element tensor
            tsViews[i] = tsArray.get(i + ":" + (i + 1));
            for (int j = 0; j < 4; j++) {
                ddim[i][j] = scalar(floats, 4 * i + j);
            }
        }
        return new SamplingConstants(ts, tsViews, ddim, plan.guided() ? scalar(floats, 4 * steps) : null,
                scalar(floats, 4 * steps + 1), unet.constants(manager, plan.framesPerClip()));
    }

    private static NDArray scalar(NDArray all, int index) {
        return all.get(index + ":" + (index + 1)).reshape(new Shape());
    }

    /** @return T */
    public int steps() {
        return timesteps.length;
    }

    /** @param i step index @return the step's timestep */
    public int timestep(int i) {
        return timesteps[i];
    }

    /** @param i step index @return {@code [1]} int64 timestep on the device */
    public NDArray timestepArray(int i) {
        return timestepArrays[i];
    }

    /**
     * @param i step index
     * @return 0-dim fp32 {√(1−ᾱ_t), √ᾱ_t, √ᾱ_prev, √(1−ᾱ_prev)} of the step
     */
    NDArray[] ddim(int i) {
        return ddim[i];
    }

    /** @return 0-dim fp32 w, or null without guidance */
    NDArray guidance() {
        return guidance;
    }

    /** @return 0-dim fp32 α/√(1+α²) */
    NDArray reuseWeight() {
        return reuseWeight;
    }

    /** @return the U-Net's constants for the plan's frame count */
    public UNetConstants unet() {
        return unet;
    }
}
