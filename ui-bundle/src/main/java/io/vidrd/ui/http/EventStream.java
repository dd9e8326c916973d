package io.vidrd.ui.http;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vidrd.api.JobStatus;
import io.vidrd.ui.jobs.UiJob;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.servlet.http.HttpServletResponse;

/**
 * Server-sent events of one job, until it ends: {@code status} first (the whole job),
 * {@code progress} after each denoising step, {@code clip} when a clip's preview is ready,
 * and finally one of {@code done}, {@code failed} or {@code cancelled} (the whole job again).
 * Runs on the request's thread and waits on the job between events.
 */
final class EventStream {

    private final UiJob job;
    private final String base;
    private final long heartbeatMillis;

    EventStream(UiJob job, String base, long heartbeatMillis) {
        this.job = job;
        this.base = base;
        this.heartbeatMillis = heartbeatMillis;
    }

    void run(HttpServletResponse resp) throws IOException, InterruptedException {
        resp.setStatus(200);
        resp.setContentType("text/event-stream;charset=utf-8");
        resp.setHeader("X-Accel-Buffering", "no");
        OutputStream out = resp.getOutputStream();
        UiJob.Snapshot s = job.snapshot();
        send(out, "status", JobJson.job(job, s, base));
        int lastClip = -1;
        UiJob.Snapshot last = null;
        while (true) {
            if (last == null || !s.progress().equals(last.progress()) || s.status() != last.status()) {
                JsonObject p = JobJson.progress(s.progress());
                p.addProperty("status", s.status().name());
                send(out, "progress", p);
            }
            for (int k : s.clipsReady()) {
                if (k <= lastClip) {
                    continue;
                }
                lastClip = k;
                JsonObject c = new JsonObject();
                c.addProperty("clip", k);
                c.addProperty("preview", base + "/jobs/" + job.id() + "/clips/" + k + "/preview");
                send(out, "clip", c);
            }
            if (s.status().isTerminal()) {
                String name = s.status() == JobStatus.SUCCEEDED ? "done" : s.status().name().toLowerCase(Locale.ROOT);
                send(out, name, JobJson.job(job, s, base));
                return;
            }
            last = s;
            s = job.awaitChange(s.version(), heartbeatMillis);
            if (s.version() == last.version()) {
                out.write(": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII));
                out.flush(); // fails once the client has gone, which ends the stream
            }
        }
    }

    private static void send(OutputStream out, String event, JsonElement data) throws IOException {
        // compact JSON has no line breaks, so one data line per event
        out.write(("event: " + event + "\ndata: " + new Gson().toJson(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
