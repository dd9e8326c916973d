package io.vidrd.engine.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vidrd.engine.schedule.DdimSchedule;
import io.vidrd.engine.unet.UNet3D;
import io.vidrd.runtime.NoiseSource;
import java.util.Arrays;
import java.util.Objects;

/**
 * The official denoising loop (VIDRD.md §6.3), of which a single clip is the case K = 1:
 *
 * <ol>
 *   <li>clip 0 starts from {@code randn_progressive} noise (N draws of one frame) or from given latents;
 *   <li>clip k &gt; 0 starts from the previous clip's stored first-step input {@code P[0]} (frame
 *       reversed): its first M frames as they are (frame-level noise reversion), the frames from
 *       {@code M mod N} on as {@code c·P[0] + ε} with one full-shape draw ε (past-dependent noise
 *       sampling);
 *   <li>before the U-Net call of step i of clip k &gt; 0, the leading frames selected by
 *       {@link SamplingPlan#stagedGuidanceFrames} are copied from {@code P[i]} (staged guidance);
 *       then {@code P[i]} becomes the frame-reversed step input;
 *   <li>a {@link GuidedDdimStep}.
 * </ol>
 *
 * Memory stays flat in the number of clips: only the latents and the T stored step inputs live
 * across steps, on a manager of the run; each step works on its own sub-manager that is closed at
 * the end of the step. Nothing is copied to the host inside the loop unless the listener asks for
 * traces and copies them. Stateless between runs; one instance may serve successive jobs.
 */
public final class VidrdSampler {

    private final UNet3D unet;
    private final DdimSchedule schedule;
    private final GuidedDdimStep step;

    /**
     * @param unet the noise predictor
     * @param schedule the DDIM schedule
     */
    public VidrdSampler(UNet3D unet, DdimSchedule schedule) {
        this.unet = Objects.requireNonNull(unet, "unet");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.step = new GuidedDdimStep(unet, schedule);
    }

    /**
     * Runs every clip of the plan, handing each clip's final latents to
     * {@link SamplingListener#onClip} as soon as it is done. Whatever happens, nothing the run
     * allocated stays on {@code jobManager} afterwards.
     *
     * @param jobManager the job's manager; the run works on a sub-manager of it (its device is used)
     * @param plan the sampling numbers
     * @param conditioning the text batch of each clip
     * @param noise the job's noise source (clip 0 draws N times unless latents are given; every
     *     later clip draws once)
     * @param initialLatents {@code [B, C, N, h, w]} starting latents of clip 0 (copied, not kept),
     *     or {@code null} to draw them
     * @param listener receives clips, progress and optional traces; can cancel
     * @throws SamplingCancelledException when the listener cancelled
     */
    public void sample(NDManager jobManager, SamplingPlan plan, ClipConditioning conditioning, NoiseSource noise,
            NDArray initialLatents, SamplingListener listener) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(conditioning, "conditioning");
        Objects.requireNonNull(noise, "noise");
        Objects.requireNonNull(listener, "listener");
        long[] shape = plan.latentShape(unet.config().inChannels());
        try (NDManager run = jobManager.newSubManager()) {
            // every number a step needs goes to the device here, once: the loop copies nothing from the host
            SamplingConstants k = SamplingConstants.create(run, unet, schedule, plan);
            NDArray x = initialLatents(run, shape, plan, noise, initialLatents);
            NDArray[] past = new NDArray[plan.steps()];
            for (int clip = 0; clip < plan.clips(); clip++) {
                if (clip > 0) {
                    NDArray next = restart(run, shape, plan, noise, past[0], k.reuseWeight());
                    x.close();
                    x = next;
                }
                NDArray text = conditioning.forClip(clip);
                for (int i = 0; i < k.steps(); i++) {
                    if (listener.cancelled()) {
                        throw new SamplingCancelledException(clip, i);
                    }
                    NDArray[] kept = denoise(run, x, clip > 0 ? past[i] : null, text, plan, clip, i, k, listener);
                    x.close();
                    if (past[i] != null) {
                        past[i].close();
                    }
                    x = kept[0];
                    past[i] = kept[1];
                    listener.onStep(clip, i, k.steps());
                }
                try (NDManager view = run.newSubManager()) {
                    // whatever the listener computes from the latents lands here and is freed with it
                    view.tempAttachAll(x);
                    listener.onClip(clip, x);
                }
            }
        }
    }

    /** One step on its own manager; returns {next latents, frame-reversed step input}, both on {@code run}. */
    private NDArray[] denoise(NDManager run, NDArray x, NDArray pastStep, NDArray text, SamplingPlan plan, int clip,
            int i, SamplingConstants k, SamplingListener listener) {
        try (NDManager m = run.newSubManager()) {
            m.tempAttachAll(x, text);
            NDArray input = x;
            int copied = pastStep == null ? 0 : plan.stagedGuidanceFrames(i);
            if (copied > 0) {
                m.tempAttachAll(pastStep);
                input = copied == plan.framesPerClip() ? pastStep.duplicate()
                        : pastStep.get(":, :, 0:" + copied).concat(x.get(":, :, " + copied + ":"), 2);
            }
            NDArray reversed = input.flip(2);
            GuidedDdimStep.Result r = step.apply(input, text, k, i);
            if (listener.wantsTraces()) {
                listener.onStepTrace(new StepTrace(clip, i, k.timestep(i), input, r.epsUncond(), r.epsText(), r.latentsOut()));
            }
            NDArray next = r.latentsOut();
            next.attach(run);
            reversed.attach(run);
            return new NDArray[] {next, reversed};
        }
    }

    private static NDArray initialLatents(NDManager run, long[] shape, SamplingPlan plan, NoiseSource noise,
            NDArray given) {
        if (given == null) {
            // init_noise_sigma is 1 for DDIM, so the pipeline's scaling is the identity
            return run.create(LatentNoise.progressive(shape, plan.initialNoiseAlpha(), noise), new Shape(shape));
        }
        if (!given.getShape().equals(new Shape(shape))) {
            throw new IllegalArgumentException("initial latents must have shape " + Arrays.toString(shape) + ", got "
                    + given.getShape());
        }
        NDArray copy = given.toType(DataType.FLOAT32, true);
        copy.attach(run);
        return copy;
    }

    /** Start of a later clip from the previous clip's reversed first-step input (FNR + PNS). */
    private static NDArray restart(NDManager run, long[] shape, SamplingPlan plan, NoiseSource noise, NDArray past0,
            NDArray reuseWeight) {
        float[] draw = LatentNoise.reuse(shape, plan.noiseReuse(), noise);
        try (NDManager m = run.newSubManager()) {
            m.tempAttachAll(past0);
            int start = plan.noiseReuseStart();
            NDArray e = m.create(draw, new Shape(shape));
            NDArray reused = past0.get(":, :, " + start + ":").mul(reuseWeight)
                    .add(e.get(":, :, " + start + ":"));
            // frames before start keep the reversed previous noise (FNR); for M = 0 and M = N the
            // noise slice covers every frame, so FNR's copy is overwritten as in the pipeline
            NDArray next = start == 0 ? reused : past0.get(":, :, 0:" + start).concat(reused, 2);
            next.attach(run);
            return next;
        }
    }
}
