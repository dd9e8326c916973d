package io.vidrd.engine.osgi;

import io.vidrd.api.GenerationListener;
import io.vidrd.api.GenerationRequest;
import io.vidrd.api.JobStatus;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.TorchUnavailableException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs jobs one at a time on one worker thread per engine (one device, one model in memory),
 * with a bounded queue. On shutdown, queued jobs are cancelled with the shutdown reason at once;
 * the running job may finish within the grace period and is cancelled after it.
 */
final class JobScheduler {

    private static final System.Logger LOG = System.getLogger(JobScheduler.class.getName());

    private final JobPipeline pipeline;
    private final int queueSize;
    private final ThreadPoolExecutor executor;
    private final Set<EngineJob> live = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();
    /** How long a stopping engine waits at least for its replacement to show up, to name it. */
    static final long REPLACEMENT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private boolean stopping; // guarded by this
    private String stopReason; // guarded by this

    /**
     * @param name worker thread name
     * @param queueSize how many jobs may wait (besides the running one)
     * @param pipeline what a job runs
     */
    JobScheduler(String name, int queueSize, JobPipeline pipeline) {
        this.pipeline = pipeline;
        this.queueSize = queueSize;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueSize),
                r -> {
                    Thread t = new Thread(() -> {
                        try {
                            // the worker only runs models: autograd off, which lets the blocks use fused kernels
                            Torch.inferenceThread();
                        } catch (TorchUnavailableException e) {
                            // the jobs fail with this error themselves when they touch the engine
                        }
                        r.run();
                    }, name);
                    t.setDaemon(true);
                    return t;
                });
    }

    EngineJob submit(GenerationRequest request, GenerationListener listener) {
        EngineJob job = new EngineJob(random, request, listener == null ? GenerationListener.noop() : listener);
        synchronized (this) {
            if (stopping && stopReason == null) {
                // A caller that looked the service up just before it was unregistered: the job is
                // treated like a queued one, cancelled with the stop reason once it is known.
                live.add(job);
                return job;
            }
            live.add(job);
            try {
                executor.execute(() -> run(job));
            } catch (RejectedExecutionException e) {
                live.remove(job);
                throw new RejectedExecutionException(executor.isShutdown() ? "the engine is shutting down"
                        + (stopReason == null ? "" : " (" + stopReason + ")")
                        : "the job queue is full (" + queueSize + " jobs waiting); try again later");
            }
        }
        return job;
    }

    private void run(EngineJob job) {
        try {
            if (!job.start()) {
                return;
            }
            job.succeed(pipeline.run(job.id(), job.request(), job));
        } catch (JobPipeline.JobCancelledSignal e) {
            job.stopCancelled();
        } catch (OutOfMemoryError e) {
            job.fail("out of memory: " + e.getMessage() + "; try fewer frames, a smaller size or a smaller VAE slice", e);
        } catch (Exception | LinkageError e) {
            // device out-of-memory is told by the pipeline, which knows the device (OutOfMemoryFailure)
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.log(System.Logger.Level.WARNING, "job " + job.id() + " failed", e);
            job.fail(message, e);
        } finally {
            live.remove(job);
        }
    }

    /** @return jobs queued or running */
    List<EngineJob> jobs() {
        return List.copyOf(live);
    }

    /**
     * Stops taking jobs, cancels the queued ones with {@code reason} at once, lets the running one
     * finish within {@code grace}, then cancels it, and waits for the worker to stop.
     *
     * @param grace how long a running job may still take
     * @param reason the cancellation reason jobs report
     * @return whether the worker stopped
     */
    boolean shutdown(Duration grace, String reason) {
        return shutdown(grace, (deadline, idle) -> reason);
    }

    /**
     * Stops taking jobs and drains: first asks {@code reason} why (it may wait, up to the end of
     * the grace period, to learn what replaced this engine), then cancels the queued jobs with that
     * reason, lets the running job finish until the grace period ends, then cancels it with the
     * same reason and waits for the worker to stop.
     *
     * @param grace how long a running job may still take, counted from this call
     * @param reason says why the engine stopped
     * @return whether the worker stopped
     */
    boolean shutdown(Duration grace, StopReason reason) {
        long start = System.nanoTime();
        long deadline = start + grace.toNanos();
        synchronized (this) {
            stopping = true;
            executor.shutdown();
        }
        String why = awaitReason(reason, deadline);
        if (!reason.conclusive(why) && !live.isEmpty()) {
            // The grace period is over but what replaced this engine is not known yet (a bundle
            // update announces the new version only after the old one stopped): stop computing
            // now, and report once the reason is known.
            for (EngineJob j : live) {
                j.requestStop();
            }
            why = awaitReason(reason, Math.max(deadline, start + REPLACEMENT_WAIT_NANOS));
        }
        for (EngineJob j : live) {
            if (j.status() == JobStatus.QUEUED) {
                j.cancel(why);
                live.remove(j);
            }
        }
        try {
            long left = deadline - System.nanoTime();
            if (!executor.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                for (EngineJob j : live) {
                    j.cancel(why);
                }
                // a cancelled job stops within one denoising step
                return executor.awaitTermination(2, TimeUnit.MINUTES);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            for (EngineJob j : live) {
                j.cancel(why);
            }
            return false;
        }
    }

    private String awaitReason(StopReason reason, long deadline) {
        while (true) {
            String why;
            try {
                why = reason.await(deadline, live::isEmpty);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                why = reason.now();
            }
            synchronized (this) {
                // a late submit may have arrived after the reason saw no jobs: then wait on
                if (reason.conclusive(why) || live.isEmpty() || System.nanoTime() - deadline >= 0
                        || Thread.currentThread().isInterrupted()) {
                    stopReason = why;
                    return why;
                }
            }
        }
    }

    /** Why an engine stopped; may wait to learn what replaced it. */
    interface StopReason {
        /**
         * @param deadlineNanos {@link System#nanoTime()} after which it must answer at once
         * @param idle true while no job is left to tell, so there is no point in waiting
         * @return the reason jobs report
         * @throws InterruptedException if interrupted while waiting
         */
        String await(long deadlineNanos, java.util.function.BooleanSupplier idle) throws InterruptedException;

        /**
         * @param why a reason {@link #await} returned
         * @return whether it is final (a replacement was found), as opposed to a fallback given
         *     because there was nothing to wait for
         */
        default boolean conclusive(String why) {
            return true;
        }

        /** @return the reason as far as it is known now */
        default String now() {
            try {
                return await(System.nanoTime(), () -> true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "engine stopped";
            }
        }
    }
}
