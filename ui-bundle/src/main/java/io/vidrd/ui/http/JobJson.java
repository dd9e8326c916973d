package io.vidrd.ui.http;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.vidrd.api.EngineInfo;
import io.vidrd.api.FieldError;
import io.vidrd.api.GenerationRequest;
import io.vidrd.api.InvalidRequestException;
import io.vidrd.api.Progress;
import io.vidrd.api.VideoFormat;
import io.vidrd.api.VideoMetadata;
import io.vidrd.ui.jobs.UiJob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Requests from JSON and jobs to JSON. Field names are the API's parameter keys. */
final class JobJson {

    /** The parameter keys a request body may use, from the API itself. */
    static final Set<String> KEYS = GenerationRequest.builder("x").build().toParameters().keySet();
    /** Formats the REST API serves (PNG frames are a folder, not one download). */
    static final List<VideoFormat> FORMATS = List.of(VideoFormat.MP4, VideoFormat.WEBM, VideoFormat.GIF);

    private JobJson() {
    }

    /**
     * @param body a JSON object with parameter keys; numbers may be JSON numbers or strings,
     *     {@code clip_prompts} an array of strings
     * @return the validated request
     * @throws HttpError 400 listing every bad or unknown field
     */
    static GenerationRequest parseRequest(String body) throws HttpError {
        JsonElement root;
        try {
            root = JsonParser.parseString(body);
        } catch (JsonParseException e) {
            throw new HttpError(400, "the body is not JSON: " + e.getMessage());
        }
        if (!root.isJsonObject()) {
            throw new HttpError(400, "the body must be a JSON object of request fields");
        }
        Map<String, String> params = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : root.getAsJsonObject().entrySet()) {
            String key = e.getKey();
            JsonElement v = e.getValue();
            if (!KEYS.contains(key)) {
                errors.add(new FieldError(key, v.toString(), "unknown field '" + key + "'; known fields: " + KEYS));
            } else if (v.isJsonNull()) {
                continue; // the default
            } else if (v.isJsonArray() && key.equals(GenerationRequest.KEY_CLIP_PROMPTS)) {
                params.put(key, v.toString());
            } else if (v.isJsonPrimitive() && !v.getAsJsonPrimitive().isBoolean()) {
                params.put(key, v.getAsString());
            } else {
                errors.add(new FieldError(key, v.toString(), key + " must be "
                        + (key.equals(GenerationRequest.KEY_CLIP_PROMPTS) ? "an array of strings" : "a number or a string")));
            }
        }
        try {
            GenerationRequest r = GenerationRequest.fromParameters(params);
            if (errors.isEmpty()) {
                return r;
            }
        } catch (InvalidRequestException e) {
            errors.addAll(e.errors());
        }
        throw new HttpError(400, errors.size() + " invalid field" + (errors.size() == 1 ? "" : "s"), errors);
    }

    static JsonObject error(String message, List<FieldError> fieldErrors) {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        if (!fieldErrors.isEmpty()) {
            JsonArray a = new JsonArray();
            for (FieldError f : fieldErrors) {
                JsonObject fe = new JsonObject();
                fe.addProperty("field", f.field());
                fe.addProperty("value", f.value());
                fe.addProperty("message", f.message());
                a.add(fe);
            }
            o.add("errors", a);
        }
        return o;
    }

    static JsonObject progress(Progress p) {
        JsonObject o = new JsonObject();
        o.addProperty("clip", p.clip());
        o.addProperty("clips", p.clips());
        o.addProperty("step", p.step());
        o.addProperty("steps", p.steps());
        o.addProperty("fraction", p.fraction());
        o.addProperty("elapsed_ms", p.elapsedMillis());
        p.etaMillis().ifPresent(eta -> o.addProperty("eta_ms", eta));
        return o;
    }

    static JsonObject job(UiJob job, UiJob.Snapshot s, String base) {
        JsonObject o = new JsonObject();
        o.addProperty("id", job.id());
        o.addProperty("status", s.status().name());
        o.addProperty("created", job.created().toString());
        o.add("progress", progress(s.progress()));
        s.failure().ifPresent(f -> o.addProperty("reason", f));
        o.add("parameters", new Gson().toJsonTree(job.request().toParameters()));
        o.add("engine", engine(job.engine(), s.engineJobId()));
        o.add("vae", vae(s.metadata()));
        JsonArray clips = new JsonArray();
        s.clipsReady().forEach(clips::add);
        o.add("clips_ready", clips);
        o.add("warnings", new Gson().toJsonTree(s.warnings()));
        String self = base + "/jobs/" + job.id();
        JsonObject links = new JsonObject();
        links.addProperty("self", self);
        links.addProperty("events", self + "/events");
        links.addProperty("preview", self + "/clips/{k}/preview");
        if (s.videoReady()) {
            JsonObject videos = new JsonObject();
            FORMATS.forEach(f -> videos.addProperty(f.extension(), self + "/video?format=" + f.extension()));
            links.add("video", videos);
        }
        o.add("links", links);
        o.addProperty("video_ready", s.videoReady());
        o.addProperty("video_deleted", s.videoReleased());
        return o;
    }

    private static JsonObject engine(EngineInfo e, String engineJobId) {
        JsonObject o = new JsonObject();
        o.addProperty("name", e.name());
        o.addProperty("version", e.version());
        o.addProperty("model", e.modelId());
        o.addProperty("device", e.device());
        o.addProperty("dtype", e.dtype());
        o.addProperty("job_id", engineJobId);
        return o;
    }

    private static JsonElement vae(Map<String, String> metadata) {
        if (!metadata.containsKey(VideoMetadata.VAE_KIND)) {
            return com.google.gson.JsonNull.INSTANCE; // known once the video is decoded
        }
        JsonObject o = new JsonObject();
        o.addProperty("kind", metadata.get(VideoMetadata.VAE_KIND));
        o.add("version", nullable(metadata.get(VideoMetadata.VAE_VERSION)));
        o.add("weights", nullable(metadata.get(VideoMetadata.VAE_WEIGHTS)));
        return o;
    }

    private static JsonElement nullable(String s) {
        return s == null ? com.google.gson.JsonNull.INSTANCE : new JsonPrimitive(s);
    }
}
