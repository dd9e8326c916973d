package io.vidrd.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import io.vidrd.itest.djlcheck.DjlCheckActivator;
import io.vidrd.runtime.RuntimeStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
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
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;

/** The runtime bundle in a real Felix: natives load once and survive consumers coming and going. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RuntimeBundleIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return ItestOptions.with();
    }

    @Test
    public void runtimeBundleStartsAndLoadsPyTorch() throws Exception {
        ServiceTracker<RuntimeStatus, RuntimeStatus> t = new ServiceTracker<>(context, RuntimeStatus.class, null);
        t.open();
        try {
            RuntimeStatus status = t.waitForService(60_000);
            assertNotNull("RuntimeStatus service not registered", status);
            assertTrue("engine not available: " + status.error().orElse(""), status.available());
            assertEquals("PyTorch", status.engineName());
            assertEquals("2.7.1", status.engineVersion());
            assertTrue(status.devices().contains("cpu"));
        } finally {
            t.close();
        }
    }

    @Test
    public void djlConsumerCanBeReinstalledAndRefreshedFiveTimes() throws Exception {
        Bundle runtime = find("io.vidrd.runtime");
        ClassLoader runtimeLoader = runtime.adapt(BundleWiring.class).getClassLoader();
        byte[] jar = djlCheckBundle();
        for (int round = 0; round < 5; round++) {
            Bundle b = context.installBundle("vidrd-itest:djl-check", new ByteArrayInputStream(jar));
            b.start();
            Collection<ServiceReference<Supplier>> refs = context.getServiceReferences(Supplier.class, "(vidrd.itest=djl-check)");
            assertEquals("round " + round, 1, refs.size());
            ServiceReference<Supplier> ref = refs.iterator().next();
            float[] result = (float[]) context.getService(ref).get();
            context.ungetService(ref);
            // matmul [[19,22],[43,50]]; conv of the 3x3 ramp 0..8 with a 2x2 ones kernel + 0.5
            assertArrayEquals("round " + round, new float[] {19, 22, 43, 50, 8.5f, 12.5f, 20.5f, 24.5f}, result, 0f);
            b.uninstall();
            refresh();
            assertSame("the runtime bundle must never be refreshed", runtimeLoader,
                    runtime.adapt(BundleWiring.class).getClassLoader());
            assertEquals(Bundle.ACTIVE, runtime.getState());
        }
    }

    private void refresh() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(null, e -> {
            if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        assertTrue("refresh did not finish", done.await(60, TimeUnit.SECONDS));
    }

    private Bundle find(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + bsn + " not installed");
    }

    /** A bundle holding only {@link DjlCheckActivator}, importing DJL from the runtime bundle. */
    private static byte[] djlCheckBundle() throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "io.vidrd.itest.djlcheck");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Bundle-Activator", DjlCheckActivator.class.getName());
        a.putValue("Import-Package", "ai.djl,ai.djl.ndarray,ai.djl.ndarray.types,ai.djl.nn.convolutional,"
                + "io.vidrd.runtime,org.osgi.framework");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, mf)) {
            String path = DjlCheckActivator.class.getName().replace('.', '/') + ".class";
            jar.putNextEntry(new JarEntry(path));
            try (InputStream in = DjlCheckActivator.class.getClassLoader().getResourceAsStream(path)) {
                in.transferTo(jar);
            }
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }
}
