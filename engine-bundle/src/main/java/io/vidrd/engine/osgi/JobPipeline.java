package io.vidrd.engine.osgi;

import io.vidrd.api.GenerationRequest;
import io.vidrd.api.Video;

/** Turns one request into a video on the engine's worker thread. */
@FunctionalInterface
public interface JobPipeline {

    /**
     * @param jobId the job's id (for metadata)
     * @param request the request
     * @param control progress, clips and cancellation
     * @return the finished video
     * @throws JobCancelledSignal if {@link JobControl#cancelled()} became true
     * @throws Exception any failure; the job fails with its message
     */
    Video run(String jobId, GenerationRequest request, JobControl control) throws Exception;

    /** Thrown by a pipeline that stopped because its job was cancelled. */
    final class JobCancelledSignal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** Creates the signal. */
        public JobCancelledSignal() {
            super("cancelled", null, false, false);
        }
    }
}
