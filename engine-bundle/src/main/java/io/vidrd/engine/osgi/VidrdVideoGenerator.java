package io.vidrd.engine.osgi;

import io.vidrd.api.EngineInfo;
import io.vidrd.api.GenerationJob;
import io.vidrd.api.GenerationListener;
import io.vidrd.api.GenerationRequest;
import io.vidrd.api.VideoGenerator;
import java.util.Objects;

/** The registered service: hands jobs to the engine's scheduler. */
final class VidrdVideoGenerator implements VideoGenerator {

    private final JobScheduler scheduler;
    private final EngineInfo info;

    VidrdVideoGenerator(JobScheduler scheduler, EngineInfo info) {
        this.scheduler = scheduler;
        this.info = info;
    }

    @Override
    public GenerationJob submit(GenerationRequest request, GenerationListener listener) {
        return scheduler.submit(Objects.requireNonNull(request, "request"), listener);
    }

    @Override
    public EngineInfo info() {
        return info;
    }
}
