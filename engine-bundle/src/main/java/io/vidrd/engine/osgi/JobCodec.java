package io.vidrd.engine.osgi;

import ai.djl.ndarray.NDArray;
import io.vidrd.api.GenerationException;
import io.vidrd.runtime.codec.CodecClosedException;
import io.vidrd.runtime.codec.DecodeOptions;
import io.vidrd.runtime.codec.LatentCodec;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The latent codec one job decodes with. The engine's reference to the codec service is dynamic:
 * when the codec is reconfigured (a new dtype through Config Admin) the old component is
 * deactivated and its weights freed, possibly while a job that took it at its start is still
 * denoising. Such a job switches to the codec bound by then, provided it has not decoded a clip
 * yet (a video is decoded by one codec: its metadata names it); otherwise it fails saying why.
 * Single-threaded: one job's worker.
 */
final class JobCodec {

    private static final long POLL_MILLIS = 100;

    private final Supplier<LatentCodec> bound;
    private final String filter;
    private final JobControl control;
    private final Duration swapWait;
    private LatentCodec codec;
    private int decodedClips;

    private JobCodec(Supplier<LatentCodec> bound, String filter, JobControl control, Duration swapWait,
            LatentCodec codec) {
        this.bound = bound;
        this.filter = filter;
        this.control = control;
        this.swapWait = swapWait;
        this.codec = codec;
    }

    /**
     * @param bound the engine's codec reference (null while none is bound)
     * @param filter the reference's target, for messages
     * @param control the job (cancellation)
     * @param bindWait how long to wait for a codec at the start (one may be about to be bound)
     * @param swapWait how long to wait for the replacement of a codec closed during the job
     * @return the job's codec
     * @throws GenerationException if no codec is bound within {@code bindWait}
     * @throws InterruptedException if interrupted while waiting
     */
    static JobCodec acquire(Supplier<LatentCodec> bound, String filter, JobControl control, Duration bindWait,
            Duration swapWait) throws GenerationException, InterruptedException {
        LatentCodec first = await(bound, null, control, bindWait);
        if (first == null) {
            throw new GenerationException("no latent codec matching " + filter + " is registered; configure the VAE"
                    + " (PID io.vidrd.vae.<kind> with model.dir) or change the engine's codec.target");
        }
        return new JobCodec(bound, filter, control, swapWait, first);
    }

    /** @return the codec the job uses now (the one that decoded its clips once one was decoded) */
    LatentCodec codec() {
        return codec;
    }

    /**
     * {@link LatentCodec#decode} with the job's codec, or with its replacement if it was closed
     * before the job's first clip.
     *
     * @param latents {@code [B, C, F, h, w]}
     * @param options slicing
     * @return the pixels, on the manager of {@code latents}
     * @throws IllegalStateException saying the codec was swapped mid-job, or no replacement came
     * @throws JobPipeline.JobCancelledSignal if the job was cancelled while waiting for a replacement
     */
    NDArray decode(NDArray latents, DecodeOptions options) {
        while (true) {
            try {
                NDArray pixels = codec.decode(latents, options);
                decodedClips++;
                return pixels;
            } catch (CodecClosedException e) {
                codec = replacement(e);
            }
        }
    }

    private LatentCodec replacement(CodecClosedException closed) {
        if (decodedClips > 0) {
            throw new IllegalStateException("the VAE codec was reconfigured or stopped while this job ran, after "
                    + decodedClips + " clip(s) had been decoded with it (" + closed.getMessage() + "); a video is"
                    + " decoded by one codec: submit the job again", closed);
        }
        LatentCodec next;
        try {
            next = await(bound, codec, control, swapWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobPipeline.JobCancelledSignal();
        }
        if (control.cancelled()) {
            throw new JobPipeline.JobCancelledSignal();
        }
        if (next == null) {
            throw new IllegalStateException("the VAE codec was closed while this job ran (" + closed.getMessage()
                    + ": reconfigured or stopped) and no codec matching " + filter + " was bound within "
                    + swapWait.toSeconds() + " s; submit the job again once one is configured", closed);
        }
        if (next.scaleFactor() != codec.scaleFactor() || next.latentChannels() != codec.latentChannels()) {
            throw new IllegalStateException("the VAE codec was replaced while this job ran by one with other latents ("
                    + next.description() + "); submit the job again");
        }
        return next;
    }

    /** @return the first bound codec other than {@code old}, or null after {@code wait} or on cancellation */
    private static LatentCodec await(Supplier<LatentCodec> bound, LatentCodec old, JobControl control, Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            LatentCodec c = bound.get();
            if (c != null && c != old) {
                return c;
            }
            if (control.cancelled() || System.nanoTime() - deadline >= 0) {
                return null;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
