package io.vidrd.itest.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real headless Chromium (Debian's chromium and chromedriver), against the UI in
 * Felix on the golden model, with the browser kept off every network but the loopback one:
 * a validation error shows next to its field, a job shows advancing progress and clip previews,
 * its video plays and every download link answers; a second job is cancelled from its button.
 * A VAE registered meanwhile appears in the engines panel. The finished page is saved as a screenshot under target/ui-screenshots.
 */
class UiBrowserIT {

    private static UiContainer container;
    private static ChromeDriver browser;
    private static Path profile;

    @BeforeAll
    static void start() throws Exception {
        container = UiContainer.start(Map.of());
        profile = Files.createTempDirectory("vidrd-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("vidrd.itest.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1280,1100", "--autoplay-policy=no-user-gesture-required");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver")).toFile())
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (container != null) {
                container.close();
            }
            if (profile != null) {
                try (Stream<Path> walk = Files.walk(profile)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static WebDriverWait waiting(int seconds) {
        WebDriverWait w = new WebDriverWait(browser, Duration.ofSeconds(seconds));
        w.pollingEvery(Duration.ofMillis(50));
        return w;
    }

    private static void set(String name, String value) {
        WebElement input = browser.findElement(By.name(name));
        input.clear();
        input.sendKeys(value);
    }

    private static WebElement newestJob() {
        List<WebElement> jobs = browser.findElements(By.cssSelector("#jobs .job"));
        return jobs.get(jobs.size() - 1);
    }

    @Test
    void generateWatchPlayDownloadAndCancel() throws Exception {
        browser.get(container.page() + "/");
        // the form gets the API's defaults; the engines panel lists the golden engine and its VAE
        waiting(30).until(d -> "watermark".equals(d.findElement(By.name("negative_prompt")).getAttribute("value")));
        assertEquals("256", browser.findElement(By.name("width")).getAttribute("value"));
        waiting(30).until(d -> d.findElement(By.id("engines")).getText().contains("vidrd"));
        assertTrue(browser.findElement(By.id("engines")).getText().contains("io.vidrd.vae"));

        // a value the engine cannot take: the server's message appears beside that field
        set("prompt", "wood on fire");
        set("width", "33");
        browser.findElement(By.cssSelector("#job-form button[type=submit]")).click();
        WebElement widthError = browser.findElement(By.cssSelector(".error[data-for=width]"));
        waiting(10).until(d -> !widthError.getText().isBlank());
        assertTrue(widthError.getText().contains("multiple of 8"), widthError.getText());
        assertTrue(browser.findElement(By.name("width")).getAttribute("class").contains("invalid"));
        assertTrue(browser.findElements(By.cssSelector("#jobs .job")).isEmpty());

        // a job long enough to watch: 40 clips of 6 frames at 32x32
        set("width", "32");
        set("height", "32");
        set("frames_per_clip", "6");
        set("clips", "40");
        set("prompt_frames", "2");
        set("steps", "3");
        browser.findElement(By.cssSelector("#job-form button[type=submit]")).click();
        waiting(10).until(d -> widthError.getText().isBlank() && !d.findElements(By.cssSelector("#jobs .job")).isEmpty());
        WebElement job = newestJob();
        Set<Double> seen = new TreeSet<>();
        waiting(300).until(d -> {
            seen.add(Double.parseDouble(job.findElement(By.cssSelector("progress.bar")).getAttribute("value")));
            return job.getAttribute("class").contains("status-SUCCEEDED");
        });
        assertTrue(seen.size() >= 3, "progress seen: " + seen);
        assertTrue(seen.stream().anyMatch(v -> v > 0 && v < 1), "no progress between start and end: " + seen);
        List<WebElement> previews = job.findElements(By.cssSelector("img.preview"));
        assertFalse(previews.isEmpty());
        waiting(10).until(d -> ((Number) ((JavascriptExecutor) d).executeScript(
                "return arguments[0].naturalWidth", previews.get(0))).intValue() == 32);

        // the player plays the result
        WebElement video = job.findElement(By.cssSelector("video.player"));
        JavascriptExecutor js = browser;
        js.executeScript("arguments[0].muted = true; arguments[0].play();", video);
        waiting(30).until(d -> ((Number) js.executeScript("return arguments[0].currentTime", video)).doubleValue() > 0);
        assertEquals(32L, js.executeScript("return arguments[0].videoWidth", video));
        // every download link answers with its format
        HttpClient http = HttpClient.newHttpClient();
        Map<String, String> types = Map.of("mp4", "video/mp4", "webm", "video/webm", "gif", "image/gif");
        for (WebElement link : job.findElements(By.cssSelector("a.download"))) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(link.getAttribute("href"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode(), link.getAttribute("href"));
            assertEquals(types.get(link.getAttribute("data-format")), r.headers().firstValue("Content-Type").orElse(""));
            assertTrue(r.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment"));
        }
        assertEquals(3, job.findElements(By.cssSelector("a.download")).size());

        // a second, long job, cancelled from its button once it runs
        set("clips", "2000");
        browser.findElement(By.cssSelector("#job-form button[type=submit]")).click();
        waiting(10).until(d -> d.findElements(By.cssSelector("#jobs .job")).size() == 2);
        WebElement second = newestJob();
        waiting(60).until(d -> Double.parseDouble(second.findElement(By.cssSelector("progress.bar")).getAttribute("value")) > 0);
        second.findElement(By.cssSelector("button.cancel")).click();
        waiting(60).until(d -> second.getAttribute("class").contains("status-CANCELLED"));
        assertTrue(second.findElement(By.className("status")).getText().startsWith("CANCELLED"));
        assertFalse(second.findElement(By.cssSelector("button.cancel")).isDisplayed());

        // hot swap: a VAE registered now appears in the engines panel without reloading the page
        container.configure("io.vidrd.vae.image", Map.of("model.dir", io.vidrd.itest.ItestOptions.goldenDir().toString()));
        waiting(60).until(d -> d.findElement(By.id("engines")).getText().contains("VAEs (latent codecs) (2)"));
        assertTrue(browser.findElement(By.id("engines")).getText().contains("image"));

        // the engine reconfigured to the shipped demo model (trained at 32x32): form values the user
        // left at their defaults follow the new engine's defaults without reloading the page
        set("width", "256");
        set("height", "256");
        set("steps", "7");
        Path demoModel = Path.of(System.getProperty("vidrd.demo.model", "../../demo/model")).toAbsolutePath().normalize();
        container.configure("io.vidrd.engine", Map.of("model.dir", demoModel.toString(), "device", "cpu",
                "codec.target", "(vidrd.vae.kind=vidrd)", "queue.size", 1, "grace.period.seconds", 0));
        waiting(120).until(d -> "32".equals(d.findElement(By.name("width")).getAttribute("value")));
        assertEquals("32", browser.findElement(By.name("height")).getAttribute("value"));
        assertEquals("7", browser.findElement(By.name("steps")).getAttribute("value"), "a value the user chose is kept");

        Path shots = Path.of(System.getProperty("vidrd.itest.screenshots", "target/ui-screenshots"));
        Files.createDirectories(shots);
        long height = ((Number) js.executeScript("return document.documentElement.scrollHeight")).longValue();
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, (int) Math.min(4000, height + 40)));
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shots.resolve("vidrd-ui-finished.png"),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
