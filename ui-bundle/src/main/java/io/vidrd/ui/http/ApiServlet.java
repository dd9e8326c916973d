package io.vidrd.ui.http;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.vidrd.api.GenerationRequest;
import io.vidrd.api.VideoFormat;
import io.vidrd.ui.jobs.JobService;
import io.vidrd.ui.jobs.JobsFullException;
import io.vidrd.ui.jobs.NotAvailableException;
import io.vidrd.ui.jobs.UiJob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The JSON REST API under {@code /vidrd/api}: jobs (submit, list, get, cancel, events, video,
 * clip previews), engines and request defaults. Every path is matched against fixed patterns;
 * a job id must be 32 lowercase hex digits.
 */
public final class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(ApiServlet.class.getName());

    private static final Pattern JOB = Pattern.compile("/jobs/([0-9a-f]{32})(/events|/video|/clips/(\\d{1,5})/preview)?");

    private final transient JobService jobs;
    private final transient RequestGuard guard;
    private final transient Engines engines;
    private final transient ApiSettings settings;
    private final transient AtomicInteger streams = new AtomicInteger();

    /**
     * @param jobs the jobs
     * @param guard who may call
     * @param engines the services to list
     * @param settings limits
     */
    ApiServlet(JobService jobs, RequestGuard guard, Engines engines, ApiSettings settings) {
        this.jobs = jobs;
        this.guard = guard;
        this.engines = engines;
        this.settings = settings;
    }

    /**
     * @param jobs the jobs
     * @param host the configured host (loopback means local requests only)
     * @param token bearer token, empty for none
     * @param context for listing engines
     * @param settings limits
     * @return the servlet
     */
    public static ApiServlet create(JobService jobs, String host, String token,
            org.osgi.framework.BundleContext context, ApiSettings settings) {
        return new ApiServlet(jobs, new RequestGuard(host, token), new Engines(context), settings);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        commonHeaders(resp);
        try {
            guard.checkOrigin(req);
            guard.checkToken(req);
            route(req, resp);
        } catch (HttpError e) {
            if (resp.isCommitted()) {
                return; // an event stream or a file was already under way: nothing sensible to add
            }
            resp.reset();
            commonHeaders(resp);
            if (e.status() == 401) {
                resp.setHeader("WWW-Authenticate", "Bearer realm=\"vidrd\"");
            }
            if (e.status() == 429) {
                resp.setHeader("Retry-After", Integer.toString(settings.retryAfterSeconds()));
            }
            json(resp, e.status(), JobJson.error(e.getMessage(), e.fieldErrors()));
        }
    }

    private static void commonHeaders(HttpServletResponse resp) {
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("Cache-Control", "no-store");
    }

    private void route(HttpServletRequest req, HttpServletResponse resp) throws HttpError, IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        String method = req.getMethod();
        String base = req.getContextPath() + req.getServletPath();
        switch (path) {
            case "/engines":
                allow(method, "GET");
                json(resp, 200, engines.list());
                return;
            case "/defaults":
                allow(method, "GET");
                json(resp, 200, new Gson().toJsonTree(jobs.requestDefaults()));
                return;
            case "/jobs":
                if (method.equals("POST")) {
                    submit(req, resp, base);
                } else {
                    allow(method, "GET, POST");
                    JsonArray a = new JsonArray();
                    for (UiJob j : jobs.list()) {
                        a.add(JobJson.job(j, j.snapshot(), base));
                    }
                    JsonObject o = new JsonObject();
                    o.add("jobs", a);
                    json(resp, 200, o);
                }
                return;
            default:
                break;
        }
        Matcher m = JOB.matcher(path);
        if (!m.matches()) {
            throw new HttpError(404, "no such resource");
        }
        UiJob job = jobs.get(m.group(1)).orElseThrow(() -> new HttpError(404, "no such job"));
        String sub = m.group(2);
        if (sub == null) {
            if (method.equals("DELETE")) {
                boolean cancelled = job.cancel();
                JsonObject o = JobJson.job(job, job.snapshot(), base);
                o.addProperty("cancelled", cancelled);
                json(resp, cancelled ? 202 : 200, o);
            } else {
                allow(method, "GET, DELETE");
                json(resp, 200, JobJson.job(job, job.snapshot(), base));
            }
        } else if (sub.equals("/events")) {
            allow(method, "GET");
            events(job, resp, base);
        } else if (sub.equals("/video")) {
            allow(method, "GET, HEAD");
            video(job, req, resp);
        } else {
            allow(method, "GET, HEAD");
            int clip = Integer.parseInt(m.group(3));
            Path file = available(() -> job.preview(clip));
            FileResponse.send(file, "image/png", null, req, resp);
        }
    }

    private static void allow(String method, String allowed) throws HttpError {
        for (String a : allowed.split(", ")) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new HttpError(405, "use " + allowed);
    }

    private void submit(HttpServletRequest req, HttpServletResponse resp, String base) throws HttpError, IOException {
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            // also keeps other web pages from posting here: a JSON body needs a CORS preflight we never grant
            throw new HttpError(415, "send the request as Content-Type: application/json");
        }
        GenerationRequest request = JobJson.parseRequest(readBody(req));
        UiJob job;
        try {
            job = jobs.submit(request);
        } catch (JobsFullException e) {
            throw new HttpError(429, e.getMessage());
        } catch (NotAvailableException e) {
            throw new HttpError(503, e.getMessage());
        }
        resp.setHeader("Location", base + "/jobs/" + job.id());
        json(resp, 201, JobJson.job(job, job.snapshot(), base));
    }

    private String readBody(HttpServletRequest req) throws HttpError, IOException {
        int max = settings.maxBodyBytes();
        if (req.getContentLengthLong() > max) {
            throw new HttpError(413, "the request body is larger than " + max + " bytes");
        }
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(max + 1); // a chunked body has no length: stop one byte past the limit
        }
        if (body.length > max) {
            throw new HttpError(413, "the request body is larger than " + max + " bytes");
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private void video(UiJob job, HttpServletRequest req, HttpServletResponse resp) throws HttpError, IOException {
        String name = req.getParameter("format") == null ? "mp4" : req.getParameter("format");
        VideoFormat format = JobJson.FORMATS.stream().filter(f -> f.extension().equals(name)).findFirst()
                .orElseThrow(() -> new HttpError(400, "format must be one of mp4, webm, gif"));
        Path file;
        try {
            file = jobs.video(job, format);
        } catch (NotAvailableException e) {
            throw notAvailable(e);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "encoding job " + job.id() + " as " + name + " failed", e);
            throw new HttpError(500, "encoding failed: " + e.getMessage());
        }
        String download = req.getParameter("download") == null ? null
                : "vidrd-" + job.id().substring(0, 8) + "." + format.extension();
        FileResponse.send(file, format.mimeType(), download, req, resp);
    }

    private void events(UiJob job, HttpServletResponse resp, String base) throws HttpError, IOException {
        if (streams.incrementAndGet() > settings.maxStreams()) {
            streams.decrementAndGet();
            throw new HttpError(429, "too many event streams are open");
        }
        try {
            new EventStream(job, base, settings.heartbeatMillis()).run(resp);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.decrementAndGet();
        }
    }

    private interface Lookup<T> {
        T get() throws NotAvailableException;
    }

    private static <T> T available(Lookup<T> lookup) throws HttpError {
        try {
            return lookup.get();
        } catch (NotAvailableException e) {
            throw notAvailable(e);
        }
    }

    private static HttpError notAvailable(NotAvailableException e) {
        switch (e.reason()) {
            case GONE:
                return new HttpError(410, e.getMessage());
            case NOT_YET:
                return new HttpError(409, e.getMessage());
            default:
                return new HttpError(404, e.getMessage());
        }
    }

    static void json(HttpServletResponse resp, int status, com.google.gson.JsonElement body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json;charset=utf-8");
        byte[] bytes = new Gson().toJson(body).getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
