package io.vidrd.example.consumer;

import io.vidrd.api.Clip;
import io.vidrd.api.GenerationJob;
import io.vidrd.api.GenerationListener;
import io.vidrd.api.GenerationRequest;
import io.vidrd.api.Progress;
import io.vidrd.api.Video;
import io.vidrd.api.VideoEncoder;
import io.vidrd.api.VideoFormat;
import io.vidrd.api.VideoGenerator;
import io.vidrd.api.VideoWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Makes a video file from a request with whichever {@link VideoGenerator} ranks highest now.
 * The reference is dynamic and greedy, so a better-ranked engine installed meanwhile is used
 * from the next call on, and nothing here restarts when engines come and go. Each call looks
 * the generator up once; a job it started finishes on that engine or fails with the engine's
 * documented stop reason ({@code engine stopped: replaced by version X}).
 */
@Component(service = ExampleConsumer.class)
public final class ExampleConsumer {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile VideoGenerator generator;

    @Reference
    private VideoEncoder encoder;

    /**
     * Generates {@code request} into {@code target}, writing each clip as soon as it is decoded.
     *
     * @param request what to generate
     * @param target the output file (a folder for {@link VideoFormat#PNG})
     * @param format the container
     * @param progress receives step progress; may be a no-op
     * @param waitMillis how long to wait for an engine if none is registered (e.g. during an update)
     * @return the video, its metadata naming the engine version that made it
     * @throws io.vidrd.api.GenerationException if the job failed or was cancelled
     * @throws InterruptedException if interrupted; the job is cancelled
     * @throws IOException if the file cannot be written
     * @throws IllegalStateException if no engine appeared within {@code waitMillis}
     */
    public Video make(GenerationRequest request, Path target, VideoFormat format, Consumer<Progress> progress,
            long waitMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (true) {
            VideoGenerator g = generator;
            if (g == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no VideoGenerator registered");
                }
                Thread.sleep(20);
                continue;
            }
            VideoWriter out = encoder.open(target, format, request.width(), request.height(), request.fps(),
                    request.toParameters());
            GenerationJob job = null;
            try {
                job = g.submit(request, new GenerationListener() {
                    @Override
                    public void onProgress(Progress p) {
                        progress.accept(p);
                    }

                    @Override
                    public void onClip(Clip clip) {
                        try {
                            out.write(clip); // frames reach the file while later clips are still denoised
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                });
                Video video = job.await();
                out.close();
                return video;
            } catch (RejectedExecutionException stopping) {
                // that engine was stopping (or its queue full): the reference moves on, try again
                out.abort();
                Thread.sleep(20);
            } catch (Exception | Error e) {
                if (job != null) {
                    job.cancel(); // e.g. interrupted: do not leave the engine busy
                }
                out.abort();
                throw e;
            }
        }
    }
}
