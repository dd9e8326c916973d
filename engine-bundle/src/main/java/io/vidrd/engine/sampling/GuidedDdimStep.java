package io.vidrd.engine.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.vidrd.engine.schedule.DdimCoefficients;
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
     * @param x {@code [B, C, F, h, w]} latents at {@code timestep}
     * @param text {@code [2B, L, D]} (unconditional rows first) when guided, else {@code [B, L, D]}
     * @param timestep the current timestep
     * @param steps T, the number of steps of the run (fixes the previous timestep)
     * @param guidanceScale w; guidance runs only when {@code w > 1}, as in the pipeline
     * @return the step's outputs
     */
    public Result apply(NDArray x, NDArray text, int timestep, int steps, double guidanceScale) {
        boolean guided = guidanceScale > 1.0;
        long batch = x.getShape().get(0);
        Shape ts = text.getShape();
        long expected = guided ? 2 * batch : batch;
        if (ts.dimension() != 3 || ts.get(0) != expected) {
            throw new IllegalArgumentException("text batch must be [" + expected + ", L, D] for " + batch
                    + " latents " + (guided ? "with" : "without") + " guidance, got " + ts);
        }
        // the pipeline passes the scheduler's int64 timestep, which the U-Net broadcasts
        NDArray t = x.getManager().create(new long[] {timestep});
        NDArray epsUncond = null;
        NDArray epsText;
        NDArray eps;
        if (guided) {
            NDList halves = unet.forward(x.concat(x, 0), t, text).split(2, 0);
            epsUncond = halves.get(0);
            epsText = halves.get(1);
            eps = epsUncond.add(epsText.sub(epsUncond).mul((float) guidanceScale));
        } else {
            epsText = unet.forward(x, t, text);
            eps = epsText;
        }
        DdimCoefficients c = schedule.coefficients(timestep, steps);
        NDArray x0 = x.sub(eps.mul(c.sqrtOneMinusAlpha())).div(c.sqrtAlpha());
        NDArray out = x0.mul(c.sqrtAlphaPrev()).add(eps.mul(c.sqrtOneMinusAlphaPrev()));
        return new Result(out, epsUncond, epsText);
    }
}
