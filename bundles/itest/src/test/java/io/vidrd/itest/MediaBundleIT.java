package io.vidrd.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.vidrd.api.Frame;
import io.vidrd.api.VideoEncoder;
import io.vidrd.api.VideoFormat;
import io.vidrd.api.VideoWriter;
import java.io.File;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The media bundle in a real Felix with nothing but SCR, Config Admin and Metatype beside the
 * API: its imports resolve, the encoder service registers, FFmpeg's natives load from the
 * bundle's own cache, and the videos it writes decode with the same embedded FFmpeg.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MediaBundleIT {

    private static final int W = 64;
    private static final int H = 48;
    private static final int FRAMES = 12;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        // Deliberately without the runtime bundle: the media bundle must not need DJL or PyTorch.
        return options(
                systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("warn"),
                junitBundles(),
                ItestOptions.jar("org.osgi.util.function", true),
                ItestOptions.jar("org.osgi.util.promise", true),
                ItestOptions.jar("org.osgi.service.component", true),
                ItestOptions.jar("org.apache.felix.scr", true),
                ItestOptions.jar("org.apache.felix.configadmin", true),
                ItestOptions.jar("org.apache.felix.log", true),
                ItestOptions.jar("org.apache.felix.metatype", true),
                ItestOptions.jar("vidrd-api", true),
                ItestOptions.jar("vidrd-media", true));
    }

    @Test
    public void encodesMp4AndWebmThatDecodeBack() throws Exception {
        Bundle media = find("io.vidrd.media");
        Path dir = Files.createTempDirectory("vidrd-media-it");
        VideoEncoder encoder = encoder();
        for (VideoFormat format : List.of(VideoFormat.MP4, VideoFormat.WEBM)) {
            Path target = dir.resolve("it." + format.extension());
            writeVideo(encoder, target, format);
            Grabbed g = grab(media, target.toFile());
            assertEquals(format + " frames", FRAMES, g.frames);
            assertEquals(W, g.width);
            assertEquals(H, g.height);
            assertEquals(8.0, g.fps, 0.01);
            assertEquals("a lighthouse at dusk", g.tag("prompt"));
            assertTrue(Files.isRegularFile(dir.resolve(target.getFileName() + ".json")));
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals("two videos and two sidecars, no temporaries", 4, s.count());
        }

        // JavaCPP extracted the natives into the bundle's data area, not ~/.javacpp or a global property
        assertNull(System.getProperty("org.bytedeco.javacpp.cachedir"));
        File cache = media.getBundleContext().getDataFile("javacpp");
        assertNotNull(cache);
        try (Stream<Path> s = Files.walk(cache.toPath())) {
            assertTrue("natives extracted under " + cache,
                    s.anyMatch(p -> p.getFileName().toString().startsWith("libjniavcodec")));
        }
    }

    /**
     * A refresh gives the bundle a new class loader, which must load FFmpeg's JNI libraries
     * again: from a fresh cache directory, since a JNI library file belongs to one class loader.
     */
    @Test
    public void keepsWorkingAfterARefresh() throws Exception {
        Bundle media = find("io.vidrd.media");
        encoder(); // activated at least once before the refresh
        ClassLoader before = media.adapt(BundleWiring.class).getClassLoader();
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(media), e -> {
            if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        assertTrue("refresh did not finish", done.await(60, TimeUnit.SECONDS));
        assertEquals(Bundle.ACTIVE, media.getState());
        assertNotSame(before, media.adapt(BundleWiring.class).getClassLoader());

        Path target = Files.createTempDirectory("vidrd-media-it").resolve("after-refresh.mp4");
        writeVideo(encoder(), target, VideoFormat.MP4);
        assertEquals(FRAMES, grab(media, target.toFile()).frames);
        try (Stream<Path> s = Files.list(media.getBundleContext().getDataFile("javacpp").toPath())) {
            assertEquals("older caches are removed", 1, s.count());
        }
    }

    private VideoEncoder encoder() throws InterruptedException {
        ServiceTracker<VideoEncoder, VideoEncoder> t = new ServiceTracker<>(context, VideoEncoder.class, null);
        t.open();
        try {
            VideoEncoder e = t.waitForService(60_000);
            assertNotNull("VideoEncoder service not registered", e);
            return e;
        } finally {
            t.close();
        }
    }

    private static void writeVideo(VideoEncoder encoder, Path target, VideoFormat format) throws Exception {
        VideoWriter w = encoder.open(target, format, W, H, 8, Map.of("prompt", "a lighthouse at dusk", "seed", "7"));
        boolean closed = false;
        try {
            for (int i = 0; i < FRAMES; i++) {
                w.write(frame(i));
                assertFalse(Files.exists(target));
            }
            w.close();
            closed = true;
        } finally {
            if (!closed) {
                w.abort();
            }
        }
        assertTrue(Files.isRegularFile(target));
    }

    private static Frame frame(int t) {
        byte[] rgb = new byte[3 * W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int i = 3 * (y * W + x);
                rgb[i] = (byte) (x * 4 + t * 8);
                rgb[i + 1] = (byte) (y * 5);
                rgb[i + 2] = (byte) (128 + t * 4);
            }
        }
        return Frame.ofRgb(W, H, rgb);
    }

    /** What FFmpeg reads back. */
    private static final class Grabbed {
        int frames;
        int width;
        int height;
        double fps;
        Map<String, String> tags;

        String tag(String key) {
            return tags.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(key))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
    }

    /**
     * Decodes with the media bundle's own JavaCV, by reflection: the bundle exports nothing,
     * and loading through its class loader reuses the natives it already loaded.
     */
    @SuppressWarnings("unchecked")
    private static Grabbed grab(Bundle media, File file) throws Exception {
        Class<?> c = media.loadClass("org.bytedeco.javacv.FFmpegFrameGrabber");
        Object grabber = c.getConstructor(File.class).newInstance(file);
        Method grabImage = c.getMethod("grabImage");
        Grabbed g = new Grabbed();
        try {
            c.getMethod("start").invoke(grabber);
            while (grabImage.invoke(grabber) != null) {
                g.frames++;
            }
            g.width = (int) c.getMethod("getImageWidth").invoke(grabber);
            g.height = (int) c.getMethod("getImageHeight").invoke(grabber);
            g.fps = (double) c.getMethod("getVideoFrameRate").invoke(grabber);
            g.tags = (Map<String, String>) c.getMethod("getMetadata").invoke(grabber);
        } finally {
            c.getMethod("close").invoke(grabber);
        }
        return g;
    }

    private Bundle find(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + bsn + " not installed");
    }
}
