package io.vidrd.ui.jobs;

import io.vidrd.api.EngineInfo;
import io.vidrd.api.GenerationJob;
import io.vidrd.api.GenerationRequest;
import io.vidrd.api.VideoEncoder;
import io.vidrd.api.VideoFormat;
import io.vidrd.api.VideoGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * What the REST API does with jobs, without HTTP: submit to the current generator, look up,
 * cancel, and hand out previews and encoded videos. Files live under one private folder, in a
 * sub-folder per job named by the job's id, which this class makes up.
 */
public final class JobService {

    private final Supplier<Optional<VideoGenerator>> generator;
    private final Supplier<Optional<VideoEncoder>> encoder;
    private final Path dataDir;
    private final int maxPreviews;
    private final JobStore store;
    private final JobIds ids = new JobIds();

    /**
     * @param generator the generator jobs go to now, if any
     * @param encoder the encoder videos are written with, if any
     * @param dataDir a private folder for previews and videos; this service owns its contents
     * @param maxJobs jobs remembered
     * @param maxVideos finished videos kept
     * @param maxPreviews clip previews kept per job
     */
    public JobService(Supplier<Optional<VideoGenerator>> generator, Supplier<Optional<VideoEncoder>> encoder,
            Path dataDir, int maxJobs, int maxVideos, int maxPreviews) {
        this.generator = generator;
        this.encoder = encoder;
        this.dataDir = dataDir;
        this.maxPreviews = maxPreviews;
        this.store = new JobStore(maxJobs, maxVideos);
    }

    /**
     * The values a new request starts from: the API's defaults, with the frame size the current
     * generator's model asks for ({@link EngineInfo#PROP_DEFAULT_SIZE}) where it names one.
     *
     * @return request parameters by key, without the prompt
     */
    public Map<String, String> requestDefaults() {
        GenerationRequest base = GenerationRequest.builder("x").build();
        GenerationRequest r = generator.get().map(g -> g.info().withDefaultSize(base)).orElse(base);
        Map<String, String> d = new LinkedHashMap<>(r.toParameters());
        d.remove(GenerationRequest.KEY_PROMPT);
        return d;
    }

    /**
     * Submits a job to the current generator.
     *
     * @param request a valid request
     * @return the UI's record of the job
     * @throws JobsFullException if the store holds only unfinished jobs or the engine's queue is full
     * @throws NotAvailableException if no generator is registered
     * @throws IOException if the job's folder cannot be made
     */
    public synchronized UiJob submit(GenerationRequest request)
            throws JobsFullException, NotAvailableException, IOException {
        VideoGenerator g = generator.get().orElseThrow(() -> new NotAvailableException(
                NotAvailableException.Reason.NOT_FOUND, "no video generator is registered"));
        if (!store.makeRoom()) {
            throw new JobsFullException("the UI already holds its maximum of unfinished jobs; try again later");
        }
        String id = ids.next();
        UiJob job = new UiJob(id, request, g.info(), dataDir.resolve(id), maxPreviews, j -> store.retainVideos());
        GenerationJob engineJob;
        try {
            engineJob = g.submit(request, job);
        } catch (RejectedExecutionException e) {
            job.discard();
            throw new JobsFullException(e.getMessage() == null ? "the engine refused the job" : e.getMessage());
        }
        job.attach(engineJob);
        store.add(job);
        return job;
    }

    /**
     * @param id a job id from a request, any string
     * @return the job, if the id has the right form and names a job
     */
    public Optional<UiJob> get(String id) {
        return JobIds.isWellFormed(id) ? store.get(id) : Optional.empty();
    }

    /** @return the jobs, oldest first */
    public List<UiJob> list() {
        return store.list();
    }

    /**
     * @param job a job of this service
     * @param format the format
     * @return the encoded video file
     * @throws NotAvailableException if the video is not (or no longer) there, or no encoder is registered
     * @throws IOException if encoding fails
     */
    public Path video(UiJob job, VideoFormat format) throws NotAvailableException, IOException {
        VideoEncoder e = encoder.get().orElseThrow(() -> new NotAvailableException(
                NotAvailableException.Reason.NOT_FOUND, "no video encoder is registered"));
        return job.videoFile(format, e);
    }

    /** Cancels all jobs and deletes their files. */
    public void close() {
        store.clear();
    }
}
