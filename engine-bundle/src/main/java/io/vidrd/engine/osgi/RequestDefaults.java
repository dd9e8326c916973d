package io.vidrd.engine.osgi;

import io.vidrd.api.GenerationRequest;
import io.vidrd.api.InvalidRequestException;

/**
 * The engine's configured defaults for the fields a request did not set. A request
 * whose result would be invalid with a configured default (e.g. more prompt frames than frames
 * per clip) keeps its own values.
 *
 * @param steps DDIM steps
 * @param guidanceScale classifier-free guidance scale
 * @param promptFrames VidRD M
 * @param noiseReuse VidRD alpha
 * @param stagedGuidance VidRD beta
 */
record RequestDefaults(int steps, double guidanceScale, int promptFrames, double noiseReuse, double stagedGuidance) {

    /** The API's own defaults: requests pass unchanged. */
    static final RequestDefaults API = new RequestDefaults(GenerationRequest.DEFAULT_STEPS,
            GenerationRequest.DEFAULT_GUIDANCE_SCALE, GenerationRequest.DEFAULT_PROMPT_FRAMES,
            GenerationRequest.DEFAULT_NOISE_REUSE, GenerationRequest.DEFAULT_STAGED_GUIDANCE);

    static RequestDefaults of(EngineConfiguration config) {
        return new RequestDefaults(config.default_steps(), config.default_guidance_scale(),
                config.default_prompt_frames(), config.default_noise_reuse(), config.default_staged_guidance());
    }

    GenerationRequest apply(GenerationRequest r) {
        if (equals(API)) {
            return r;
        }
        GenerationRequest.Builder b = r.toBuilder();
        boolean changed = false;
        if (!r.isSet(GenerationRequest.KEY_STEPS) && steps != r.steps()) {
            b.steps(steps);
            changed = true;
        }
        if (!r.isSet(GenerationRequest.KEY_GUIDANCE_SCALE) && guidanceScale != r.guidanceScale()) {
            b.guidanceScale(guidanceScale);
            changed = true;
        }
        if (!r.isSet(GenerationRequest.KEY_PROMPT_FRAMES) && promptFrames != r.promptFrames()) {
            b.promptFrames(promptFrames);
            changed = true;
        }
        if (!r.isSet(GenerationRequest.KEY_NOISE_REUSE) && noiseReuse != r.noiseReuse()) {
            b.noiseReuse(noiseReuse);
            changed = true;
        }
        if (!r.isSet(GenerationRequest.KEY_STAGED_GUIDANCE) && stagedGuidance != r.stagedGuidance()) {
            b.stagedGuidance(stagedGuidance);
            changed = true;
        }
        if (!changed) {
            return r;
        }
        try {
            return b.build();
        } catch (InvalidRequestException e) {
            return r;
        }
    }
}
