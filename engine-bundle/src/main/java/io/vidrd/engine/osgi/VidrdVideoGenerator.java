package io.vidrd.engine.osgi;

import io.vidrd.api.EngineInfo;
import io.vidrd.api.GenerationJob;
import io.vidrd.api.GenerationListener;
import io.vidrd.api.GenerationRequest;
import io.vidrd.api.VideoGenerator;
import java.util.Objects;

/**
 * The registered service: applies the model's default size and the configured defaults and hands jobs to the engine's
 * scheduler; the job's {@link io.vidrd.api.GenerationJob#request()} is the request as run.
 */
final class VidrdVideoGenerator implements VideoGenerator {

    private final JobScheduler scheduler;
    private final EngineInfo info;
    private final RequestDefaults defaults;

    VidrdVideoGenerator(JobScheduler scheduler, EngineInfo info, RequestDefaults defaults) {
        this.scheduler = scheduler;
        this.info = info;
        this.defaults = defaults;
    }

    @Override
    public GenerationJob submit(GenerationRequest request, GenerationListener listener) {
        return scheduler.submit(defaults.apply(info.withDefaultSize(Objects.requireNonNull(request, "request"))), listener);
    }

    @Override
    public EngineInfo info() {
        return info;
    }
}
