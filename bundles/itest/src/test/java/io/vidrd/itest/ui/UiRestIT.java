package io.vidrd.itest.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The REST API over real HTTP, in Felix with Felix HTTP Jetty, the engine on the golden model
 * (queue size 1) and a token configured: submit, follow the event stream to the end, download
 * every format, previews, cancel, every kind of refusal (400, 401, 403, 404, 405, 413, 415, 429).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiRestIT {

    private static final String TOKEN = "it-token-5f2c";
    private static UiContainer container;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        container = UiContainer.start(Map.of("token", TOKEN, "max.body.bytes", 4096, "retry.after.seconds", 7));
    }

    @AfterAll
    static void stop() throws Exception {
        if (container != null) {
            container.close();
        }
    }

    private static HttpRequest.Builder req(String path) {
        return HttpRequest.newBuilder(URI.create(container.api() + path)).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + TOKEN);
    }

    private static HttpResponse<String> send(HttpRequest r) throws Exception {
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String json) throws Exception {
        return send(req("/jobs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static JsonObject json(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    private static final String SMALL = "{\"prompt\":\"wood on fire\",\"width\":32,\"height\":32,\"frames_per_clip\":6,"
            + "\"clips\":2,\"prompt_frames\":2,\"steps\":3,\"seed\":7,\"guidance_scale\":\"7.5\"}";
    /** Hundreds of clips: runs long enough to be cancelled. */
    private static final String LONG = "{\"prompt\":\"a long boat trip\",\"width\":32,\"height\":32,"
            + "\"frames_per_clip\":6,\"clips\":500,\"prompt_frames\":2,\"steps\":2}";

    @Test
    @Order(1)
    void tokenIsRequired() throws Exception {
        HttpResponse<String> none = send(HttpRequest.newBuilder(URI.create(container.api() + "/engines")).build());
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        HttpResponse<String> wrong = send(HttpRequest.newBuilder(URI.create(container.api() + "/engines"))
                .header("Authorization", "Bearer nope").build());
        assertEquals(401, wrong.statusCode());
        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(container.api() + "/jobs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(SMALL)).build());
        assertEquals(401, post.statusCode());
        assertEquals(0, json(send(req("/jobs").build())).getAsJsonArray("jobs").size(), "a refused POST made a job");
        // the query form, for media elements and EventSource
        assertEquals(200, send(HttpRequest.newBuilder(URI.create(container.api() + "/engines?access_token=" + TOKEN))
                .build()).statusCode());

        JsonObject engines = json(send(req("/engines").build()));
        JsonObject gen = engines.getAsJsonArray("generators").get(0).getAsJsonObject();
        assertEquals("vidrd", gen.get("vidrd.engine.name").getAsString());
        assertEquals("cpu", gen.get("vidrd.device").getAsString());
        assertTrue(gen.get("preferred").getAsBoolean());
        JsonObject codec = engines.getAsJsonArray("codecs").get(0).getAsJsonObject();
        assertEquals("vidrd", codec.get("vidrd.vae.kind").getAsString());
        assertEquals("io.vidrd.vae", codec.get("bundle").getAsString());
        assertEquals(1, engines.getAsJsonArray("encoders").size());
        // the page itself needs no token, and forbids loading anything from elsewhere
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(container.page() + "/")).build());
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        assertFalse(page.body().contains("http://") || page.body().contains("https://"), "the page loads external assets");
    }

    @Test
    @Order(2)
    void badRequestsAreRefusedWithReasons() throws Exception {
        HttpResponse<String> bad = post("{\"prompt\":\" \",\"width\":33,\"steps\":\"many\",\"colour\":\"red\","
                + "\"clip_prompts\":[\"a\",\"b\"],\"fps\":true}");
        assertEquals(400, bad.statusCode(), bad.body());
        Set<String> fields = new TreeSet<>();
        for (JsonElement e : json(bad).getAsJsonArray("errors")) {
            fields.add(e.getAsJsonObject().get("field").getAsString());
            assertFalse(e.getAsJsonObject().get("message").getAsString().isBlank());
        }
        assertEquals(new TreeSet<>(List.of("prompt", "width", "steps", "colour", "clip_prompts", "fps")), fields, bad.body());

        assertEquals(400, post("{\"prompt\": ").statusCode());
        assertEquals(400, post("[1, 2]").statusCode());
        assertEquals(415, send(req("/jobs").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(SMALL)).build()).statusCode());
        String huge = "{\"prompt\":\"" + "x".repeat(5000) + "\"}";
        assertEquals(413, post(huge).statusCode());
        assertEquals(413, send(req("/jobs").header("Content-Type", "application/json")  // no Content-Length
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        huge.getBytes(StandardCharsets.UTF_8)))).build()).statusCode());

        assertEquals(404, send(req("/jobs/not-a-job").build()).statusCode());
        assertEquals(404, send(req("/jobs/0123456789abcdef0123456789ABCDEF").build()).statusCode());
        assertEquals(404, send(req("/jobs/0123456789abcdef0123456789abcdef").build()).statusCode());
        assertEquals(404, send(req("/jobs/0123456789abcdef0123456789abcdef/video?format=mp4").build()).statusCode());
        assertNotEquals(200, rawStatus("/vidrd/api/../../../../etc/passwd", "127.0.0.1"));
        assertNotEquals(200, rawStatus("/vidrd/%2e%2e/%2e%2e/etc/passwd", "127.0.0.1"));
        assertEquals(405, send(req("/engines").DELETE().build()).statusCode());
        assertEquals(0, json(send(req("/jobs").build())).getAsJsonArray("jobs").size());

        // only local callers: another Host header (DNS rebinding) is refused
        assertEquals(403, rawStatus("/vidrd/api/engines", "attacker.example"));
        assertEquals(403, rawStatus("/vidrd/", "attacker.example"));
        assertEquals(200, rawStatus("/vidrd/api/engines", "localhost"));
    }

    /** One request over a plain socket, to send what HttpClient would not (any Host, raw paths). */
    private static int rawStatus(String path, String host) throws Exception {
        try (Socket s = new Socket("127.0.0.1", container.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + container.port() + "\r\nAuthorization: Bearer "
                    + TOKEN + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    @Order(3)
    void submitFollowAndDownload() throws Exception {
        HttpResponse<String> created = post(SMALL);
        assertEquals(201, created.statusCode(), created.body());
        JsonObject job = json(created);
        String id = job.get("id").getAsString();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertEquals(container.api().replaceFirst("^http://[^/]+", "") + "/jobs/" + id,
                created.headers().firstValue("Location").orElseThrow());

        List<String[]> events = events(id);
        List<String> names = events.stream().map(e -> e[0]).collect(Collectors.toList());
        assertEquals("status", names.get(0));
        assertEquals("done", names.get(names.size() - 1), names.toString());
        List<Double> fractions = new ArrayList<>();
        for (String[] e : events) {
            if (e[0].equals("progress")) {
                fractions.add(JsonParser.parseString(e[1]).getAsJsonObject().get("fraction").getAsDouble());
            }
        }
        assertTrue(fractions.size() >= 3, "progress events: " + fractions);
        for (int i = 1; i < fractions.size(); i++) {
            assertTrue(fractions.get(i) >= fractions.get(i - 1), "progress went back: " + fractions);
        }
        assertEquals(1.0, fractions.get(fractions.size() - 1), 1e-9);
        assertEquals(List.of("0", "1"), events.stream().filter(e -> e[0].equals("clip"))
                .map(e -> JsonParser.parseString(e[1]).getAsJsonObject().get("clip").getAsString()).collect(Collectors.toList()));

        JsonObject done = json(send(req("/jobs/" + id).build()));
        assertEquals("SUCCEEDED", done.get("status").getAsString());
        assertEquals("32", done.getAsJsonObject("parameters").get("width").getAsString());
        assertEquals("7.5", done.getAsJsonObject("parameters").get("guidance_scale").getAsString());
        assertEquals("vidrd", done.getAsJsonObject("engine").get("name").getAsString());
        assertFalse(done.getAsJsonObject("engine").get("version").getAsString().isBlank());
        assertEquals("vidrd", done.getAsJsonObject("vae").get("kind").getAsString());
        assertFalse(done.getAsJsonObject("vae").get("version").getAsString().isBlank());
        JsonArray listed = json(send(req("/jobs").build())).getAsJsonArray("jobs");
        assertEquals(id, listed.get(listed.size() - 1).getAsJsonObject().get("id").getAsString());

        byte[] png = bytes(req("/jobs/" + id + "/clips/1/preview").build(), 200, "image/png");
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        assertEquals(404, send(req("/jobs/" + id + "/clips/2/preview").build()).statusCode());

        byte[] mp4 = bytes(req("/jobs/" + id + "/video?format=mp4").build(), 200, "video/mp4");
        assertEquals("ftyp", new String(mp4, 4, 4, StandardCharsets.US_ASCII));
        byte[] webm = bytes(req("/jobs/" + id + "/video?format=webm").build(), 200, "video/webm");
        assertArrayEquals(new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3}, Arrays.copyOf(webm, 4));
        byte[] gif = bytes(req("/jobs/" + id + "/video?format=gif&download=1").build(), 200, "image/gif");
        assertEquals("GIF8", new String(gif, 0, 4, StandardCharsets.US_ASCII));
        HttpResponse<byte[]> range = HTTP.send(req("/jobs/" + id + "/video?format=mp4").header("Range", "bytes=4-7").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, range.statusCode());
        assertEquals("ftyp", new String(range.body(), StandardCharsets.US_ASCII));
        assertEquals(400, send(req("/jobs/" + id + "/video?format=avi").build()).statusCode());
        // a second request reuses the encoded file
        assertArrayEquals(mp4, bytes(req("/jobs/" + id + "/video?format=mp4").build(), 200, "video/mp4"));
    }

    @Test
    @Order(4)
    void cancelAndFullQueue() throws Exception {
        HttpResponse<String> a = post(LONG);
        assertEquals(201, a.statusCode(), a.body());
        String idA = json(a).get("id").getAsString();
        awaitRunning(idA);
        HttpResponse<String> b = post(LONG); // waits in the engine's queue of one
        assertEquals(201, b.statusCode(), b.body());
        String idB = json(b).get("id").getAsString();
        HttpResponse<String> c = post(LONG);
        assertEquals(429, c.statusCode(), c.body());
        assertEquals("7", c.headers().firstValue("Retry-After").orElse(""));
        assertEquals(3, json(send(req("/jobs").build())).getAsJsonArray("jobs").size(), "the refused job was kept");

        HttpResponse<String> cancelB = send(req("/jobs/" + idB).DELETE().build());
        assertEquals(202, cancelB.statusCode(), cancelB.body());
        HttpResponse<String> cancelA = send(req("/jobs/" + idA).DELETE().build());
        assertEquals(202, cancelA.statusCode(), cancelA.body());
        List<String[]> events = events(idA);
        assertEquals("cancelled", events.get(events.size() - 1)[0]);
        JsonObject cancelled = json(send(req("/jobs/" + idA).build()));
        assertEquals("CANCELLED", cancelled.get("status").getAsString());
        assertTrue(cancelled.get("progress").getAsJsonObject().get("fraction").getAsDouble() < 0.5);
        assertEquals(200, send(req("/jobs/" + idA).DELETE().build()).statusCode(), "cancelling twice");
        assertEquals(409, send(req("/jobs/" + idA + "/video?format=mp4").build()).statusCode());
        assertEventually(() -> json(send(req("/jobs/" + idB).build())).get("status").getAsString().equals("CANCELLED"));
        // room again
        HttpResponse<String> again = post(SMALL);
        assertEquals(201, again.statusCode(), again.body());
        assertEquals("done", last(events(json(again).get("id").getAsString())));
    }

    private static String last(List<String[]> events) {
        return events.get(events.size() - 1)[0];
    }

    private static void awaitRunning(String id) throws Exception {
        assertEventually(() -> json(send(req("/jobs/" + id).build())).getAsJsonObject("progress").get("step").getAsInt() > 0
                || json(send(req("/jobs/" + id).build())).getAsJsonObject("progress").get("clip").getAsInt() > 0);
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void assertEventually(Check check) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!check.ok()) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out");
            Thread.sleep(100);
        }
    }

    private static byte[] bytes(HttpRequest r, int status, String type) throws Exception {
        HttpResponse<byte[]> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(status, resp.statusCode(), new String(resp.body(), StandardCharsets.UTF_8));
        assertEquals(type, resp.headers().firstValue("Content-Type").orElse("").replaceFirst(";.*", ""));
        assertNotEquals(0, resp.body().length);
        return resp.body();
    }

    /** Reads a job's event stream to its end: (event name, data) pairs. */
    private static List<String[]> events(String id) throws Exception {
        HttpResponse<InputStream> resp = HTTP.send(req("/jobs/" + id + "/events").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, resp.statusCode());
        assertTrue(resp.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<String[]> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
            String event = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    events.add(new String[] {event, line.substring(6)});
                }
            }
        }
        return events;
    }
}
