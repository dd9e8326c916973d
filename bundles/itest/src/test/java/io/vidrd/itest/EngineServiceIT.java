package io.vidrd.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.vidrd.api.Clip;
import io.vidrd.api.GenerationJob;
import io.vidrd.api.GenerationListener;
import io.vidrd.api.GenerationRequest;
import io.vidrd.api.JobStatus;
import io.vidrd.api.Progress;
import io.vidrd.api.Video;
import io.vidrd.api.VideoGenerator;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/** The engine as a host application sees it: configure it, find the service, generate. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EngineServiceIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return ItestOptions.goldenEngine();
    }

    @After
    public void clearConfiguration() throws Exception {
        org.osgi.service.cm.Configuration[] all = configAdmin.listConfigurations(null);
        if (all != null) {
            for (org.osgi.service.cm.Configuration c : all) {
                c.delete();
            }
        }
        // Config Admin tells SCR asynchronously: wait until the engine and codecs are really gone,
        // or the next test's configuration races the previous test's components.
        long deadline = System.currentTimeMillis() + 60_000;
        while (context.getServiceReference(VideoGenerator.class) != null
                || context.getServiceReferences("io.vidrd.runtime.codec.LatentCodec", "(vidrd.vae.kind=*)") != null) {
            assertTrue("engine or codec still registered 60 s after their configuration was deleted",
                    System.currentTimeMillis() < deadline);
            Thread.sleep(50);
        }
    }


    private void configureEngine(String modelDir) throws Exception {
        configureEngine(modelDir, "(vidrd.vae.kind=vidrd)");
    }

    private void configureEngine(String modelDir, String codecTarget) throws Exception {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("model.dir", modelDir);
        props.put("device", "cpu");
        props.put("codec.target", codecTarget);
        configAdmin.getConfiguration("io.vidrd.engine", "?").update(props);
    }

    private void configureCodec(String kind, String modelDir) throws Exception {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("model.dir", modelDir);
        configAdmin.getConfiguration("io.vidrd.vae." + kind, "?").update(props);
    }

    private void awaitCodec(String kind) throws Exception {
        ServiceTracker<Object, Object> t = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=io.vidrd.runtime.codec.LatentCodec)(vidrd.vae.kind=" + kind + "))"), null);
        t.open();
        try {
            assertNotNull("codec " + kind + " not registered", t.waitForService(60_000));
        } finally {
            t.close();
        }
    }

    private VideoGenerator awaitGenerator(long millis) throws InterruptedException {
        ServiceTracker<VideoGenerator, VideoGenerator> t = new ServiceTracker<>(context, VideoGenerator.class, null);
        t.open();
        try {
            return t.waitForService(millis);
        } finally {
            t.close();
        }
    }

    @Test
    public void configuredEngineRegistersAndGeneratesAClip() throws Exception {
        String golden = ItestOptions.goldenDir().toString();
        configureCodec("vidrd", golden);
        configureCodec("image", golden);
        awaitCodec("vidrd");
        awaitCodec("image");
        configureEngine(golden);
        VideoGenerator generator = awaitGenerator(120_000);
        assertNotNull("no VideoGenerator registered for the golden model", generator);
        assertEquals("cpu", generator.info().device());

        GenerationRequest request = GenerationRequest.builder("a boat is sailing in a lake")
                .size(32, 32).framesPerClip(6).clips(1).promptFrames(0).steps(4).guidanceScale(7.5).seed(7).build();
        List<Progress> progress = new CopyOnWriteArrayList<>();
        List<Clip> clips = new CopyOnWriteArrayList<>();
        GenerationJob job = generator.submit(request, new GenerationListener() {
            @Override
            public void onProgress(Progress p) {
                progress.add(p);
            }

            @Override
            public void onClip(Clip clip) {
                clips.add(clip);
            }
        });
        Video video = job.await(5, TimeUnit.MINUTES).orElseThrow(() -> new AssertionError("job did not finish"));
        assertEquals(JobStatus.SUCCEEDED, job.status());
        assertEquals(6, video.frameCount());
        assertEquals(32, video.width());
        assertEquals(32, video.height());
        assertEquals(4, progress.size());
        assertEquals(1, clips.size());
        assertEquals("vidrd", video.metadata().get("vidrd.vae.kind"));
        assertEquals("7", video.metadata().get("seed"));

        // same seed, same device: identical frames
        Video again = generator.generate(request);
        for (int i = 0; i < video.frameCount(); i++) {
            assertTrue("frame " + i + " differs", Arrays.equals(video.frames().get(i).rgb(), again.frames().get(i).rgb()));
        }

        // switch the latent codec through Config Admin: the next job decodes with the plain SD VAE
        configureEngine(golden, "(vidrd.vae.kind=image)");
        VideoGenerator switched = awaitGeneratorWith("image");
        Video image = switched.generate(request);
        assertEquals("image", image.metadata().get("vidrd.vae.kind"));
        assertFalse("the image VAE decoded the same pixels as the VidRD VAE",
                Arrays.equals(video.frames().get(0).rgb(), image.frames().get(0).rgb()));
    }

    /** Waits until a job through the current generator reports the given codec kind. */
    private VideoGenerator awaitGeneratorWith(String kind) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        GenerationRequest probe = GenerationRequest.builder("probe").size(32, 32).framesPerClip(1).promptFrames(0)
                .steps(1).build();
        while (System.currentTimeMillis() < deadline) {
            VideoGenerator g = awaitGenerator(10_000);
            if (g != null) {
                try {
                    if (kind.equals(g.generate(probe).metadata().get("vidrd.vae.kind"))) {
                        return g;
                    }
                } catch (io.vidrd.api.GenerationException e) {
                    // engine restarting with the new configuration
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no generator decoding with " + kind);
    }

    @Test
    public void defaultStepsFromConfigAdminReachTheNextJob() throws Exception {
        String golden = ItestOptions.goldenDir().toString();
        configureCodec("vidrd", golden);
        awaitCodec("vidrd");
        // steps left at the API default: the engine's configured default.steps applies
        GenerationRequest request = GenerationRequest.builder("a boat").size(32, 32).framesPerClip(2).promptFrames(0)
                .seed(1).build();
        for (int steps : new int[] {2, 3}) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("model.dir", golden);
            props.put("device", "cpu");
            props.put("default.steps", steps);
            configAdmin.getConfiguration("io.vidrd.engine", "?").update(props);
            long deadline = System.currentTimeMillis() + 120_000;
            String seen = null;
            String lastError = "none";
            while (!String.valueOf(steps).equals(seen)) {
                assertTrue("default.steps=" + steps + " never reached a job (last: " + seen + ", last error: "
                        + lastError + ")", System.currentTimeMillis() < deadline);
                VideoGenerator g = awaitGenerator(10_000);
                try {
                    seen = g == null ? null : g.generate(request).metadata().get(GenerationRequest.KEY_STEPS);
                } catch (io.vidrd.api.GenerationException e) {
                    // the engine was being re-created with the new configuration
                    lastError = e.getMessage();
                }
            }
        }
    }

    @Test
    public void badModelDirectoryRegistersNothing() throws Exception {
        configureEngine("/nonexistent/model");
        assertNull("a VideoGenerator was registered for a missing model", awaitGenerator(5_000));
    }
}
