package io.vidrd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code vidrd serve} from the built distribution: prints its URL, serves the page and the API, stops on SIGTERM. */
class VidrdServeIT {

    @Test
    void serveStartsTheWebUiOnLoopbackAndStopsOnSignal() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dist = Path.of(System.getProperty("vidrd.dist.dir", "target/vidrd"));
        String golden = Path.of(System.getProperty("vidrd.golden.dir", "../../../shared/golden")).toAbsolutePath().toString();
        ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/vidrd").toString(), "serve", "--model", golden,
                "--port", Integer.toString(port)).redirectErrorStream(true);
        pb.environment().put("VIDRD_JAVA_OPTS", "-Xmx2g");
        Process p = pb.start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String url = null;
            StringBuilder seen = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                seen.append(line).append('\n');
                if (line.startsWith("VidRD web UI: ")) {
                    url = line.substring("VidRD web UI: ".length()).replaceFirst("\\s.*", "");
                    break;
                }
            }
            assertNotNull(url, seen.toString());
            assertEquals("http://127.0.0.1:" + port + "/vidrd/", url);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("job-form"));
            String engines = "";
            long deadline = System.currentTimeMillis() + 60_000;
            while (!engines.contains("vidrd.engine.version") && System.currentTimeMillis() < deadline) {
                Thread.sleep(250);
                engines = http.send(HttpRequest.newBuilder(URI.create(url + "api/engines")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            }
            assertTrue(engines.contains("vidrd.engine.version"), engines);
            p.destroy(); // SIGTERM, as Ctrl-C: the shutdown hook stops the framework
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "vidrd serve did not stop");
        } finally {
            p.destroyForcibly();
        }
    }
}
