package io.vidrd.engine.osgi;

import io.vidrd.api.Clip;
import io.vidrd.api.Progress;

/** What a running job's pipeline may do: report, deliver clips, and ask whether to stop. */
public interface JobControl {

    /** @return whether the job was cancelled; the pipeline stops within one denoising step */
    boolean cancelled();

    /** @param progress progress after a denoising step */
    void progress(Progress progress);

    /** @param clip a finished clip, delivered as soon as it is decoded */
    void clip(Clip clip);

    /** @param message something the caller should know (e.g. a truncated prompt) */
    void warning(String message);
}
