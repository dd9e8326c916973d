package io.vidrd.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ops4j.pax.exam.Option;

/** Framework contents shared by the integration tests: the distribution's bundles, from the build. */
public final class ItestOptions {

    private ItestOptions() {}

    /** @return the folder the build copied the bundles under test into */
    public static Path bundleDir() {
        return Path.of(System.getProperty("vidrd.itest.bundles", "target/bundles"));
    }

    /** @return the golden folder (reference checkpoints and outputs) */
    public static Path goldenDir() {
        return Path.of(System.getProperty("vidrd.golden.dir", "../../../shared/golden")).toAbsolutePath().normalize();
    }

    /**
     * @param name a jar name in {@link #bundleDir()} without {@code .jar}
     * @param start whether to start it
     * @return the provisioning option
     */
    public static Option jar(String name, boolean start) {
        Path p = bundleDir().resolve(name + ".jar");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("bundle " + p + " is missing: run the build (mvn verify) first");
        }
        return bundle(p.toUri().toString()).start(start);
    }

    /** @return SCR, Config Admin and the runtime with its CPU natives */
    public static List<Option> runtime() {
        List<Option> o = new ArrayList<>(List.of(
                systemProperty("ai.djl.offline").value("true"),
                systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("warn"),
                junitBundles(),
                jar("org.osgi.util.function", true),
                jar("org.osgi.util.promise", true),
                jar("org.osgi.service.component", true),
                jar("org.apache.felix.scr", true),
                jar("org.apache.felix.configadmin", true),
                jar("org.apache.felix.log", true),
                jar("org.apache.felix.metatype", true),
                jar("vidrd-api", true),
                jar("vidrd-runtime-natives-cpu", false),
                jar("vidrd-runtime", true)));
        return o;
    }

    /** @return the runtime plus the VAE and engine bundles, with the golden folder's path for the probe */
    public static Option[] goldenEngine() {
        return with(systemProperty("vidrd.golden.dir").value(goldenDir().toString()),
                jar("vidrd-vae", true),
                jar("vidrd-engine", true));
    }

    /** @param extra more options @return {@link #runtime()} plus {@code extra} */
    public static Option[] with(Option... extra) {
        List<Option> o = runtime();
        o.addAll(List.of(extra));
        return options(o.toArray(new Option[0]));
    }
}
