package io.vidrd.engine.osgi;

import io.vidrd.api.Clip;
import io.vidrd.api.GenerationException;
import io.vidrd.api.GenerationJob;
import io.vidrd.api.GenerationListener;
import io.vidrd.api.GenerationRequest;
import io.vidrd.api.JobCancelledException;
import io.vidrd.api.JobStatus;
import io.vidrd.api.Progress;
import io.vidrd.api.Video;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One job: its state machine (queued, running, then exactly one of succeeded, failed,
 * cancelled) and the delivery of its events to the caller's listener. A listener that throws
 * is logged and ignored, so a consumer's bug cannot fail the job.
 */
final class EngineJob implements GenerationJob, JobControl {

    private static final System.Logger LOG = System.getLogger(EngineJob.class.getName());

    private final String id;
    private final GenerationRequest request;
    private final GenerationListener listener;
    private final CompletableFuture<Video> result = new CompletableFuture<>();
    private final AtomicReference<JobStatus> status = new AtomicReference<>(JobStatus.QUEUED);
    private final AtomicReference<String> cancelReason = new AtomicReference<>();
    private final java.util.concurrent.CountDownLatch reasonKnown = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile Progress progress;
    private volatile long startNanos;

    EngineJob(SecureRandom random, GenerationRequest request, GenerationListener listener) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        this.id = HexFormat.of().formatHex(b);
        this.request = request;
        this.listener = listener;
        this.progress = Progress.initial(request.clips(), request.steps());
    }

    @Override public String id() { return id; }
    @Override public GenerationRequest request() { return request; }
    @Override public JobStatus status() { return status.get(); }
    @Override public Progress progress() { return progress; }

    @Override
    public boolean cancel() {
        return cancel("cancelled by the caller");
    }

    /**
     * @param reason why, as the caller will read it
     * @return whether this call cancelled the job (false if it had already ended)
     */
    boolean cancel(String reason) {
        if (status.get().isTerminal() || !cancelReason.compareAndSet(null, reason)) {
            return false;
        }
        reasonKnown.countDown();
        if (status.compareAndSet(JobStatus.QUEUED, JobStatus.CANCELLED)) {
            // Never started: nothing to stop, end it here. The queue skips it later.
            finishCancelled();
        }
        return true;
    }

    /**
     * Makes the pipeline stop at its next check without ending the job yet: the engine is
     * stopping and the reason will follow through {@link #cancel(String)}.
     */
    void requestStop() {
        stopRequested = true;
    }

    /** @return whether the worker may run this job (false if it was cancelled while queued) */
    boolean start() {
        if (!status.compareAndSet(JobStatus.QUEUED, JobStatus.RUNNING)) {
            return false;
        }
        startNanos = System.nanoTime();
        notify(() -> listener.onStarted(this));
        return true;
    }

    void succeed(Video video) {
        if (status.compareAndSet(JobStatus.RUNNING, JobStatus.SUCCEEDED)) {
            result.complete(video);
            notify(() -> listener.onFinished(video));
        }
    }

    void fail(String message, Throwable cause) {
        if (cancelled()) {
            // A failure while stopping (e.g. closed resources) is the cancellation showing.
            stopCancelled();
            return;
        }
        if (status.compareAndSet(JobStatus.RUNNING, JobStatus.FAILED)) {
            GenerationException e = new GenerationException(message);
            if (cause != null) {
                e.initCause(cause);
            }
            result.completeExceptionally(e);
            notify(() -> listener.onFailed(e));
        }
    }

    /** The worker saw the cancellation and stopped; after a stop request, waits for the reason. */
    void stopCancelled() {
        if (cancelReason.get() == null) {
            try {
                reasonKnown.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cancelReason.compareAndSet(null, "engine stopped");
        }
        if (status.compareAndSet(JobStatus.RUNNING, JobStatus.CANCELLED)) {
            finishCancelled();
        }
    }

    private void finishCancelled() {
        String reason = cancelReason.get();
        result.completeExceptionally(new JobCancelledException(reason));
        notify(() -> listener.onCancelled(reason));
    }

    // JobControl, called by the pipeline on the worker thread

    @Override
    public boolean cancelled() {
        return stopRequested || cancelReason.get() != null;
    }

    @Override
    public void progress(Progress p) {
        progress = new Progress(p.clip(), p.clips(), p.step(), p.steps(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        Progress snapshot = progress;
        notify(() -> listener.onProgress(snapshot));
    }

    @Override
    public void clip(Clip clip) {
        notify(() -> listener.onClip(clip));
    }

    @Override
    public void warning(String message) {
        notify(() -> listener.onWarning(message));
    }

    private void notify(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "listener of job " + id + " threw; ignored", e);
        }
    }

    @Override
    public Video await() throws GenerationException, InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    @Override
    public Optional<Video> await(long timeout, TimeUnit unit) throws GenerationException, InterruptedException {
        try {
            return Optional.of(result.get(timeout, unit));
        } catch (ExecutionException e) {
            throw unwrap(e);
        } catch (TimeoutException e) {
            return Optional.empty();
        }
    }

    private static GenerationException unwrap(ExecutionException e) {
        return e.getCause() instanceof GenerationException ? (GenerationException) e.getCause()
                : new GenerationException(String.valueOf(e.getCause()));
    }

    @Override
    public Optional<String> failureReason() {
        if (status.get() == JobStatus.CANCELLED) {
            return Optional.ofNullable(cancelReason.get());
        }
        if (status.get() == JobStatus.FAILED) {
            try {
                result.getNow(null);
            } catch (java.util.concurrent.CompletionException e) {
                return Optional.ofNullable(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "job " + id + " (" + status.get() + ")";
    }
}
