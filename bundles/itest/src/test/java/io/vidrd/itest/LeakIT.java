package io.vidrd.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.vidrd.api.GenerationRequest;
import io.vidrd.api.Video;
import io.vidrd.api.VideoGenerator;
import io.vidrd.api.VideoMetadata;
import io.vidrd.runtime.weights.NativeMemory;
import io.vidrd.runtime.weights.WeightStore;
import java.nio.file.Path;
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
 * Resource release over 20 engine swaps (alternately Bundle.update and install-beside plus
 * uninstall), each new engine running one job: live NDArrays and threads return exactly to
 * their baseline, resident memory to within {@value #RSS_MARGIN_MIB} MiB, and the weight store
 * reads no tensor from disk again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LeakIT {

    /**
     * Allowance for resident memory: Java heap and metaspace growth and allocator caching (the
     * golden model's weights are ~10 MB; a leaked model per swap would add 200 MB over 20 swaps).
     */
    static final int RSS_MARGIN_MIB = 128;
    private static final int SWAPS = 20;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private WeightStore store;

    @Configuration
    public Option[] config() {
        return ItestOptions.goldenEngine();
    }

    @Test
    public void twentySwapsReturnArraysMemoryAndThreadsToTheBaseline() throws Exception {
        EngineVersions.configureVae(configAdmin);
        EngineVersions.configureEngine(configAdmin, null, 0, 5);
        Bundle engine = null;
        for (Bundle b : context.getBundles()) {
            if ("io.vidrd.engine".equals(b.getSymbolicName())) {
                engine = b;
            }
        }
        String original = engine.getVersion().toString();
        Path[] jars = {ItestOptions.bundleDir().resolve("vidrd-engine.jar"), EngineVersions.engineJar("w")};
        String[] versions = {original, "1.0.0.w"};
        EngineVersions.awaitTop(context, original, 120_000);

        // warm-up: two swaps and jobs, so JIT, allocator pools and lazily created threads exist
        for (int i = 0; i < 2; i++) {
            engine = swap(engine, i, jars, versions);
        }
        EngineVersions.awaitDrained(60_000);
        long reads = store.tensorReads();
        Snapshot before = Snapshot.take();

        for (int i = 2; i < 2 + SWAPS; i++) {
            engine = swap(engine, i, jars, versions);
        }
        EngineVersions.awaitDrained(60_000);
        Snapshot after = Snapshot.take();
        // an idle pool thread (the weight store's releaser) may still be timing out
        for (int i = 0; i < 50 && after.threads > before.threads; i++) {
            Thread.sleep(100);
            after = Snapshot.take();
        }
        System.out.println("leak check over " + SWAPS + " swaps: before " + before + ", after " + after
                + ", tensors read from disk " + reads + " then " + store.tensorReads());
        assertEquals("tensors read again by new engine versions", reads, store.tensorReads());
        assertEquals("live NDArrays", before.arrays, after.arrays);
        assertTrue("threads: " + before.threads + " -> " + after.threads + ": " + threadNames(),
                after.threads <= before.threads);
        assertTrue("resident memory grew by more than " + RSS_MARGIN_MIB + " MiB: " + before + " -> " + after,
                after.rssKiB - before.rssKiB <= RSS_MARGIN_MIB * 1024L);
    }

    /** Swap number {@code i}: even by Bundle.update, odd by install-beside and uninstall. */
    private Bundle swap(Bundle engine, int i, Path[] jars, String[] versions) throws Exception {
        int next = (i + 1) % 2;
        Bundle now = engine;
        if (i % 2 == 0) {
            try (var in = EngineVersions.open(jars[next])) {
                engine.update(in);
            }
        } else {
            // the PID targeted at the new version ranks it higher; its own is removed afterwards
            EngineVersions.configureEngine(configAdmin, versions[next], 100 + i, 5);
            try (var in = EngineVersions.open(jars[next])) {
                now = context.installBundle("vidrd-engine-swap-" + i, in);
            }
            now.start();
            EngineVersions.awaitTop(context, versions[next], 120_000);
            engine.uninstall();
        }
        EngineVersions.awaitTop(context, versions[next], 120_000);
        VideoGenerator g = EngineVersions.service(context, VideoGenerator.class, 60_000);
        Video v = g.generate(GenerationRequest.builder("leak " + i).size(32, 32).framesPerClip(2).promptFrames(0)
                .steps(1).seed(i).build());
        assertEquals(versions[next], v.metadata().get(VideoMetadata.ENGINE_VERSION));
        return now;
    }

    private static String threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList().toString();
    }

    private record Snapshot(int arrays, int threads, long rssKiB) {
        static Snapshot take() throws InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(100);
            }
            return new Snapshot(NativeMemory.liveArrays(), NativeMemory.liveThreads(), NativeMemory.residentKiB());
        }

        @Override
        public String toString() {
            return arrays + " arrays, " + threads + " threads, " + (rssKiB / 1024) + " MiB resident";
        }
    }
}
