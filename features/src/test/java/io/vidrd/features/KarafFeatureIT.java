package io.vidrd.features;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import io.vidrd.api.GenerationRequest;
import io.vidrd.api.Video;
import io.vidrd.api.VideoGenerator;
import java.io.File;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The feature in a real Apache Karaf 4.4, offline: install {@code vidrd} from the built feature
 * file (bundles resolved from the build's outputs and the local Maven repository only), configure
 * the engine and VAE through Config Admin, and generate a clip on the golden model.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafFeatureIT {

    private static final String MVN_CFG = "etc/org.ops4j.pax.url.mvn.cfg";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private static String golden() {
        return Path.of(System.getProperty("vidrd.golden.dir", "../../shared/golden")).toAbsolutePath().normalize()
                .toString();
    }

    @Configuration
    public Option[] config() {
        String local = System.getProperty("org.ops4j.pax.url.mvn.localRepository");
        String reactor = System.getProperty("vidrd.karaf.reactor.repo");
        return options(
                karafDistributionConfiguration()
                        .frameworkUrl(maven().groupId("org.apache.karaf").artifactId("apache-karaf")
                                .version(System.getProperty("vidrd.karaf.version", "4.4.7")).type("tar.gz"))
                        .unpackDirectory(new File("target/karaf")).useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevelOption.LogLevel.WARN),
                // offline: Karaf's own system folder, the build's bundles, the local repository; nothing remote
                editConfigurationFilePut(MVN_CFG, "org.ops4j.pax.url.mvn.localRepository", local),
                editConfigurationFilePut(MVN_CFG, "org.ops4j.pax.url.mvn.defaultRepositories",
                        "file:${karaf.home}/${karaf.default.repository}@id=system.repository@snapshots,"
                                + "file:" + reactor + "@id=reactor@snapshots,"
                                + "file:" + local + "@id=local@snapshots"),
                editConfigurationFilePut(MVN_CFG, "org.ops4j.pax.url.mvn.repositories", ""),
                editConfigurationFilePut(MVN_CFG, "org.ops4j.pax.url.mvn.offline", "true"),
                editConfigurationFilePut(MVN_CFG, "org.ops4j.pax.url.mvn.useFallbackRepositories", "false"),
                editConfigurationFilePut("etc/system.properties", "ai.djl.offline", "true"),
                editConfigurationFilePut("etc/system.properties", "ai.djl.pytorch.num_threads", "1"),
                editConfigurationFilePut("etc/system.properties", "ai.djl.pytorch.num_interop_threads", "1"),
                editConfigurationFilePut("etc/system.properties", "vidrd.golden.dir", golden()),
                vmOption("-Xmx2g"),
                features(new File(System.getProperty("vidrd.feature.file")).toURI().toString(), "vidrd"));
    }

    @Test
    public void featureInstallsAndGenerates() throws Exception {
        String golden = System.getProperty("vidrd.golden.dir");
        Dictionary<String, Object> vae = new Hashtable<>();
        vae.put("model.dir", golden);
        configAdmin.getConfiguration("io.vidrd.vae.vidrd", "?").update(vae);
        Dictionary<String, Object> engine = new Hashtable<>();
        engine.put("model.dir", golden);
        engine.put("device", "cpu");
        configAdmin.getConfiguration("io.vidrd.engine", "?").update(engine);

        ServiceTracker<VideoGenerator, VideoGenerator> t = new ServiceTracker<>(context, VideoGenerator.class, null);
        t.open();
        VideoGenerator generator;
        try {
            generator = t.waitForService(180_000);
        } finally {
            t.close();
        }
        assertNotNull("no VideoGenerator registered in Karaf", generator);
        Video video = generator.generate(GenerationRequest.builder("wood on fire").size(32, 32).framesPerClip(6)
                .clips(1).promptFrames(0).steps(3).seed(7).build());
        assertEquals(6, video.frameCount());
        assertEquals(32, video.width());
        assertEquals("vidrd", video.metadata().get("vidrd.vae.kind"));
    }
}
