package io.vidrd.engine.osgi;

import io.vidrd.api.GenerationListener;
import io.vidrd.api.GenerationRequest;
import io.vidrd.api.JobStatus;
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
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                });
    }

    EngineJob submit(GenerationRequest request, GenerationListener listener) {
        EngineJob job = new EngineJob(random, request, listener == null ? GenerationListener.noop() : listener);
        live.add(job);
        try {
            executor.execute(() -> run(job));
        } catch (RejectedExecutionException e) {
            live.remove(job);
            throw new RejectedExecutionException(executor.isShutdown() ? "the engine is shutting down"
                    : "the job queue is full (" + queueSize + " jobs waiting); try again later");
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
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (message.contains("out of memory")) {
                message = "out of memory on the device: " + message + "; try fewer frames or a smaller size";
            }
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
     * Stops taking jobs, cancels the queued ones, lets the running one finish within
     * {@code grace}, then cancels it, and waits for the worker to stop.
     *
     * @param grace how long a running job may still take
     * @param reason the cancellation reason jobs report
     * @return whether the worker stopped
     */
    boolean shutdown(Duration grace, String reason) {
        executor.shutdown();
        for (EngineJob j : live) {
            if (j.status() == JobStatus.QUEUED) {
                j.cancel(reason);
            }
        }
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                for (EngineJob j : live) {
                    j.cancel(reason);
                }
                // a cancelled job stops within one denoising step
                return executor.awaitTermination(2, TimeUnit.MINUTES);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            for (EngineJob j : live) {
                j.cancel(reason);
            }
            return false;
        }
    }
}
