package io.vidrd.itest;

import static io.vidrd.itest.EngineVersions.REPLACED;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.vidrd.api.JobCancelledException;
import io.vidrd.api.GenerationRequest;
import io.vidrd.api.Video;
import io.vidrd.api.VideoFormat;
import io.vidrd.api.VideoMetadata;
import io.vidrd.example.consumer.ExampleConsumer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Hot swap under load: two consumer threads (through the example consumer bundle, which binds
 * VideoGenerator dynamically and greedily) generate in a loop while the engine is swapped five
 * times, alternately by installing a new version beside the old one with a higher
 * service.ranking (then uninstalling the old one) and by Bundle.update. Every job must either
 * succeed or be cancelled with the documented reason; the test counts both and fails on
 * anything else. After every swap, the consumers' next jobs run on the new version.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    /** Injected, so the test holds the (delayed) component for its whole run. */
    @Inject
    private ExampleConsumer consumer;

    @Configuration
    public Option[] config() {
        return ItestOptions.with(
                systemProperty("vidrd.golden.dir").value(ItestOptions.goldenDir().toString()),
                ItestOptions.jar("vidrd-media", true),
                ItestOptions.jar("vidrd-vae", true),
                ItestOptions.jar("vidrd-engine", true),
                ItestOptions.jar("vidrd-example-consumer", true));
    }

    @Test
    public void consumersKeepWorkingWhileTheEngineIsSwappedFiveTimes() throws Exception {
        EngineVersions.configureVae(configAdmin);
        // 1 s grace: a job of ~1-2 s that is running at a swap sometimes finishes, sometimes not
        EngineVersions.configureEngine(configAdmin, null, 0, 1);
        Bundle engine = findEngine();
        String v1 = engine.getVersion().toString();
        EngineVersions.awaitTop(context, v1, 120_000);

        AtomicBoolean running = new AtomicBoolean(true);
        Map<String, AtomicInteger> succeededByVersion = new ConcurrentHashMap<>();
        AtomicInteger cancelled = new AtomicInteger();
        List<String> unexpected = new CopyOnWriteArrayList<>();
        Path out = Files.createTempDirectory("hotswap");
        Thread[] loops = new Thread[2];
        for (int t = 0; t < loops.length; t++) {
            int id = t;
            loops[t] = new Thread(() -> {
                for (int i = 0; running.get(); i++) {
                    GenerationRequest request = GenerationRequest.builder("wood on fire " + id).size(32, 32)
                            .framesPerClip(4).clips(1).promptFrames(0).steps(3).seed(i).build();
                    try {
                        Video v = consumer.make(request, out.resolve(id + "-" + i + ".gif"), VideoFormat.GIF,
                                p -> { }, 60_000);
                        succeededByVersion.computeIfAbsent(v.metadata().get(VideoMetadata.ENGINE_VERSION),
                                k -> new AtomicInteger()).incrementAndGet();
                    } catch (JobCancelledException e) {
                        if (e.reason().startsWith(REPLACED)) {
                            cancelled.incrementAndGet();
                        } else {
                            unexpected.add(e.toString());
                        }
                    } catch (Throwable e) {
                        unexpected.add(e.toString());
                    }
                }
            }, "consumer-" + t);
            loops[t].start();
        }

        String current = v1;
        for (int swap = 1; swap <= 5; swap++) {
            awaitSuccessOn(succeededByVersion, current, unexpected);
            String next = "1.0.0.v" + (swap + 1);
            Path jar = EngineVersions.engineJar("v" + (swap + 1));
            if (swap % 2 == 1) {
                // beside the old one, ranked higher through a PID targeted at the new version
                // grace 0 for the even versions: their running jobs are cancelled when they are updated
                EngineVersions.configureEngine(configAdmin, next, swap * 10, 0);
                Bundle added = context.installBundle(jar.toUri().toString());
                added.start();
                EngineVersions.awaitTop(context, next, 120_000);
                engine.uninstall();
                engine = added;
            } else {
                try (var in = EngineVersions.open(jar)) {
                    engine.update(in);
                }
                EngineVersions.awaitTop(context, next, 120_000);
            }
            assertEquals(next, engine.getVersion().toString());
            current = next;
        }
        awaitSuccessOn(succeededByVersion, current, unexpected);
        running.set(false);
        for (Thread t : loops) {
            t.join(120_000);
        }
        int succeeded = succeededByVersion.values().stream().mapToInt(AtomicInteger::get).sum();
        System.out.println("hot swap: " + succeeded + " jobs succeeded " + succeededByVersion + ", " + cancelled.get()
                + " cancelled with '" + REPLACED + "X', " + unexpected.size() + " other outcomes " + unexpected);
        assertTrue("outcomes other than success or the documented cancellation: " + unexpected, unexpected.isEmpty());
        assertTrue("no job was cancelled by a swap", cancelled.get() > 0);
        for (int v = 1; v <= 6; v++) {
            String version = v == 1 ? v1 : "1.0.0.v" + v;
            assertTrue("no job succeeded on " + version, succeededByVersion.containsKey(version));
        }
        EngineVersions.awaitDrained(60_000);
    }

    /** Waits until some consumer job succeeded on {@code version}: consumers moved to it. */
    private static void awaitSuccessOn(Map<String, AtomicInteger> succeeded, String version, List<String> unexpected)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!succeeded.containsKey(version)) {
            assertTrue("unexpected outcomes: " + unexpected, unexpected.isEmpty());
            assertTrue("no consumer job succeeded on " + version, System.currentTimeMillis() < deadline);
            Thread.sleep(20);
        }
    }

    private Bundle findEngine() {
        for (Bundle b : context.getBundles()) {
            if ("io.vidrd.engine".equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("engine bundle not installed");
    }
}
