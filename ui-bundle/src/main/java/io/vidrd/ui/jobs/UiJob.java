package io.vidrd.ui.jobs;

import io.vidrd.api.Clip;
import io.vidrd.api.EngineInfo;
import io.vidrd.api.GenerationException;
import io.vidrd.api.GenerationJob;
import io.vidrd.api.GenerationListener;
import io.vidrd.api.GenerationRequest;
import io.vidrd.api.JobStatus;
import io.vidrd.api.Progress;
import io.vidrd.api.Video;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One job as the UI sees it: its request, the engine it went to, and a live copy of its state
 * fed by the job's listener events, so that listing jobs never calls into the engine. Keeps
 * the latest clip previews and, while retained, the finished video, all in a folder of its own.
 * Every change bumps {@link Snapshot#version()} and wakes {@link #awaitChange} callers.
 */
public final class UiJob implements GenerationListener {

    private static final System.Logger LOG = System.getLogger(UiJob.class.getName());

    private final String id;
    private final GenerationRequest request;
    private final EngineInfo engine;
    private final Path dir;
    private final Instant created = Instant.now();
    private final int maxPreviews;
    private final Consumer<UiJob> onTerminal;
    private final Object encodeLock = new Object();

    private GenerationJob job;
    private JobStatus status = JobStatus.QUEUED;
    private Progress progress;
    private String failure;
    private Video video;
    private boolean videoReleased;
    private Map<String, String> metadata = Map.of();
    private final TreeMap<Integer, Path> previews = new TreeMap<>();
    private final List<String> warnings = new ArrayList<>();
    private long version;

    /**
     * @param id the UI's id of the job
     * @param request what is generated
     * @param engine the engine it is submitted to
     * @param dir a folder of its own, created here, deleted by {@link #discard()}
     * @param maxPreviews clip previews kept (the latest)
     * @param onTerminal called once when the job ends, outside the job's lock
     * @throws IOException if the folder cannot be created
     */
    UiJob(String id, GenerationRequest request, EngineInfo engine, Path dir, int maxPreviews,
            Consumer<UiJob> onTerminal) throws IOException {
        this.id = id;
        this.request = request;
        this.engine = engine;
        this.dir = Files.createDirectories(dir);
        this.maxPreviews = maxPreviews;
        this.onTerminal = onTerminal;
        this.progress = Progress.initial(request.clips(), request.steps());
    }

    /** @return the UI's id */
    public String id() {
        return id;
    }

    /** @return the request */
    public GenerationRequest request() {
        return request;
    }

    /** @return the engine the job was submitted to */
    public EngineInfo engine() {
        return engine;
    }

    /** @return when the UI accepted the job */
    public Instant created() {
        return created;
    }

    synchronized void attach(GenerationJob engineJob) {
        this.job = engineJob;
        changed();
    }

    /**
     * Asks the engine to stop the job.
     *
     * @return whether the job was still running or queued
     */
    public boolean cancel() {
        GenerationJob j;
        synchronized (this) {
            j = job;
        }
        return j != null && j.cancel();
    }

    /** @return the current state */
    public synchronized Snapshot snapshot() {
        return new Snapshot(version, status, progress, Optional.ofNullable(failure), List.copyOf(previews.keySet()),
                video != null, videoReleased, metadata, List.copyOf(warnings),
                job == null ? "" : job.id());
    }

    /**
     * Waits until the state differs from {@code seen} or the time is up.
     *
     * @param seen the version the caller has
     * @param millis longest wait
     * @return the state then
     * @throws InterruptedException if interrupted
     */
    public synchronized Snapshot awaitChange(long seen, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        long left = millis;
        while (version == seen && left > 0) {
            wait(left);
            left = deadline - System.currentTimeMillis();
        }
        return snapshot();
    }

    /**
     * @param clip a clip index
     * @return the preview image of that clip, a PNG file in this job's folder
     * @throws NotAvailableException if the clip is not done yet or its preview was dropped
     */
    public synchronized Path preview(int clip) throws NotAvailableException {
        Path p = previews.get(clip);
        if (p == null) {
            if (clip < 0 || clip >= request.clips()) {
                throw new NotAvailableException(NotAvailableException.Reason.NOT_FOUND,
                        "the job has clips 0.." + (request.clips() - 1));
            }
            boolean dropped = !previews.isEmpty() && clip < previews.firstKey();
            throw new NotAvailableException(dropped ? NotAvailableException.Reason.GONE : NotAvailableException.Reason.NOT_YET,
                    dropped ? "only the latest " + maxPreviews + " previews are kept" : "clip " + clip + " is not ready");
        }
        return p;
    }

    /**
     * The finished video, encoded once per format into this job's folder.
     *
     * @param format the format
     * @param encoder the encoder
     * @return the file
     * @throws NotAvailableException if the job has not succeeded or its video was released
     * @throws IOException if encoding fails
     */
    public Path videoFile(io.vidrd.api.VideoFormat format, io.vidrd.api.VideoEncoder encoder)
            throws NotAvailableException, IOException {
        // one encoding per job at a time: a second request for the same file waits and reuses it
        synchronized (encodeLock) {
            Video v;
            synchronized (this) {
                if (videoReleased) {
                    throw new NotAvailableException(NotAvailableException.Reason.GONE,
                            "the video was deleted to make room for newer ones");
                }
                if (video == null) {
                    throw new NotAvailableException(NotAvailableException.Reason.NOT_YET,
                            "the job has not finished (" + status + ")");
                }
                v = video;
            }
            Path target = dir.resolve("video." + format.extension());
            if (!Files.isRegularFile(target)) {
                encoder.encode(v, target, format);
            }
            synchronized (this) {
                if (videoReleased) {
                    deleteContents();
                    throw new NotAvailableException(NotAvailableException.Reason.GONE,
                            "the video was deleted to make room for newer ones");
                }
            }
            return target;
        }
    }

    /** Drops the video and its encoded files to bound memory and disk; previews stay. */
    void releaseVideo() {
        synchronized (this) {
            if (video == null) {
                return;
            }
            video = null;
            videoReleased = true;
            changed();
        }
        synchronized (encodeLock) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().startsWith("video.")).forEach(UiJob::deleteQuietly);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot clean up " + dir + ": " + e.getMessage());
            }
        }
    }

    /** Cancels the job if it still runs and deletes its folder. */
    void discard() {
        cancel();
        synchronized (this) {
            video = null;
            videoReleased = true;
            previews.clear();
            changed();
        }
        synchronized (encodeLock) {
            deleteContents();
            deleteQuietly(dir);
        }
    }

    private void deleteContents() {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(UiJob::deleteQuietly);
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot clean up " + dir + ": " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete " + p + ": " + e.getMessage());
        }
    }

    private void changed() {
        version++;
        notifyAll();
    }

    // --- GenerationListener: called on the engine's thread, kept short ---

    @Override
    public synchronized void onStarted(GenerationJob j) {
        if (!status.isTerminal()) {
            status = JobStatus.RUNNING;
            changed();
        }
    }

    @Override
    public synchronized void onProgress(Progress p) {
        if (!status.isTerminal()) {
            status = JobStatus.RUNNING;
            progress = p;
            changed();
        }
    }

    @Override
    public void onClip(Clip clip) {
        // the clip's last frame: for clips after the first, the first frames repeat the previous clip
        Path file = dir.resolve("clip-" + clip.index() + ".png");
        try {
            Previews.writePng(clip.frames().get(clip.size() - 1), file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "job " + id + ": no preview of clip " + clip.index() + ": " + e.getMessage());
            return;
        }
        Path dropped = null;
        synchronized (this) {
            if (status.isTerminal()) {
                dropped = file; // discarded meanwhile
            } else {
                previews.put(clip.index(), file);
                if (previews.size() > maxPreviews) {
                    dropped = previews.pollFirstEntry().getValue();
                }
                changed();
            }
        }
        if (dropped != null) {
            deleteQuietly(dropped);
        }
    }

    @Override
    public synchronized void onWarning(String message) {
        if (warnings.size() < 20) {
            warnings.add(message);
            changed();
        }
    }

    @Override
    public void onFinished(Video v) {
        synchronized (this) {
            status = JobStatus.SUCCEEDED;
            progress = new Progress(request.clips() - 1, request.clips(), request.steps(), request.steps(),
                    progress.elapsedMillis());
            metadata = v.metadata();
            if (!videoReleased) {
                video = v;
            }
            changed();
        }
        onTerminal.accept(this);
    }

    @Override
    public void onFailed(GenerationException error) {
        end(JobStatus.FAILED, error.getMessage());
    }

    @Override
    public void onCancelled(String reason) {
        end(JobStatus.CANCELLED, reason);
    }

    private void end(JobStatus s, String reason) {
        synchronized (this) {
            status = s;
            failure = reason == null ? s.toString().toLowerCase(java.util.Locale.ROOT) : reason;
            changed();
        }
        onTerminal.accept(this);
    }

    /**
     * The state of a job at one moment.
     *
     * @param version increases with every change
     * @param status the state
     * @param progress the latest progress
     * @param failure why it failed or was cancelled
     * @param clipsReady clips whose preview can be fetched, ascending
     * @param videoReady whether the video can be downloaded
     * @param videoReleased whether the video was deleted to bound storage
     * @param metadata the video's metadata once finished (engine and VAE versions), else empty
     * @param warnings the engine's warnings
     * @param engineJobId the engine's id of the job (for its logs)
     */
    public record Snapshot(long version, JobStatus status, Progress progress, Optional<String> failure,
            List<Integer> clipsReady, boolean videoReady, boolean videoReleased, Map<String, String> metadata,
            List<String> warnings, String engineJobId) {
    }
}
