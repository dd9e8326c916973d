package io.vidrd.engine.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.vidrd.engine.schedule.DdimSchedule;
import io.vidrd.engine.unet.UNet3D;
import java.util.Objects;

/**
 * One denoising step of the official pipeline: U-Net noise prediction (on {@code concat(x, x)}
 * with the unconditional text rows first when guided), classifier-free guidance
 * {@code ε = ε_u + w·(ε_t − ε_u)}, then the η = 0 DDIM update in diffusers 0.14's operation
 * order with fp32 scalars. Stateless; every array it creates lands on the manager of {@code x}
 * (bring the text onto that manager too, for example with {@code tempAttach}).
 */
public final class GuidedDdimStep {

    /**
     * The outputs of a step.
     *
     * @param latentsOut latents at the previous timestep
     * @param epsUncond unconditional prediction, {@code null} without guidance
     * @param epsText text-conditioned prediction
     */
    public record Result(NDArray latentsOut, NDArray epsUncond, NDArray epsText) {}

    private final UNet3D unet;
    private final DdimSchedule schedule;

    /**
     * @param unet the noise predictor
     * @param schedule the DDIM schedule
     */
    public GuidedDdimStep(UNet3D unet, DdimSchedule schedule) {
        this.unet = Objects.requireNonNull(unet, "unet");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    /**
     * @param x {@code [B, C, F, h, w]} latents at step {@code i}'s timestep
     * @param text {@code [2B, L, D]} (unconditional rows first) when guided, else {@code [B, L, D]}
     * @param k the job's constants (timesteps, DDIM factors, guidance scale), on the device of {@code x}
     * @param i the step index, 0 at the noisiest timestep
     * @return the step's outputs
     */
    public Result apply(NDArray x, NDArray text, SamplingConstants k, int i) {
        boolean guided = k.guidance() != null;
        long batch = x.getShape().get(0);
        Shape ts = text.getShape();
        long expected = guided ? 2 * batch : batch;
        if (ts.dimension() != 3 || ts.get(0) != expected) {
            throw new IllegalArgumentException("text batch must be [" + expected + ", L, D] for " + batch
                    + " latents " + (guided ? "with" : "without") + " guidance, got " + ts);
        }
        // the pipeline passes the scheduler's int64 timestep, which the U-Net broadcasts
        NDArray t = k.timestepArray(i);
        // lent to the step's manager so the U-Net's arrays derived from it are freed with the step
        x.getManager().tempAttachAll(t);
        NDArray epsUncond = null;
        NDArray epsText;
        NDArray eps;
        if (guided) {
            NDList halves = unet.forward(x.concat(x, 0), t, text, k.unet()).split(2, 0);
            epsUncond = halves.get(0);
            epsText = halves.get(1);
            eps = epsUncond.add(epsText.sub(epsUncond).mul(k.guidance()));
        } else {
            epsText = unet.forward(x, t, text, k.unet());
            eps = epsText;
        }
        // 0-dim fp32 factors: the same fp32 arithmetic as DdimCoefficients, nothing read from the host
        NDArray[] c = k.ddim(i);
        NDArray x0 = x.sub(eps.mul(c[0])).div(c[1]);
        NDArray out = x0.mul(c[2]).add(eps.mul(c[3]));
        return new Result(out, epsUncond, epsText);
    }
}
