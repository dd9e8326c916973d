package io.vidrd.engine.osgi;

import io.vidrd.api.VideoGenerator;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;

/**
 * Tells a stopping engine's jobs what replaced it: {@value #REPLACED}{@code X}, where X is the
 * version this bundle was updated to ({@link BundleEvent#UPDATED}) or else the version of the
 * highest-ranked {@link VideoGenerator} registered when the reason is needed. When there is
 * none, jobs read {@code engine stopped: vidrd V was stopped}.
 *
 * <p>It listens through the system bundle's context, because the engine bundle's own context
 * is invalid once the bundle has stopped, which is when the drain runs. The old engine's
 * service is already unregistered, so every generator it sees is another one.
 */
final class ReplacementWatch implements JobScheduler.StopReason, BundleListener, ServiceListener, AutoCloseable {

    /** Prefix of the documented cancellation reason. */
    static final String REPLACED = "engine stopped: replaced by version ";

    private final BundleContext system;
    private final long bundleId;
    private final String stopped;
    private volatile String updatedTo;

    /**
     * @param system the system bundle's context
     * @param bundleId the engine bundle's id
     * @param name engine name
     * @param version the stopping engine's version
     */
    ReplacementWatch(BundleContext system, long bundleId, String name, String version) {
        this.system = system;
        this.bundleId = bundleId;
        this.stopped = "engine stopped: " + name + " " + version + " was stopped";
        system.addBundleListener(this);
        try {
            system.addServiceListener(this, "(objectClass=" + VideoGenerator.class.getName() + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.UPDATED && event.getBundle().getBundleId() == bundleId) {
            updatedTo = event.getBundle().getVersion().toString();
            wake();
        }
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        if (event.getType() == ServiceEvent.REGISTERED) {
            wake();
        }
    }

    private synchronized void wake() {
        notifyAll();
    }

    @Override
    public synchronized String await(long deadlineNanos, BooleanSupplier idle) throws InterruptedException {
        while (true) {
            String v = replacement();
            if (v != null) {
                return REPLACED + v;
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || idle.getAsBoolean()) {
                return stopped;
            }
            // re-check now and then: the idle condition has no event
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        }
    }

    @Override
    public boolean conclusive(String why) {
        return why.startsWith(REPLACED);
    }

    private String replacement() {
        String updated = updatedTo;
        if (updated != null) {
            return updated;
        }
        try {
            ServiceReference<?>[] refs = system.getAllServiceReferences(VideoGenerator.class.getName(), null);
            ServiceReference<?> best = null;
            if (refs != null) {
                for (ServiceReference<?> r : refs) {
                    if (best == null || r.compareTo(best) > 0) {
                        best = r;
                    }
                }
            }
            Object v = best == null ? null : best.getProperty(VideoGenerator.PROP_ENGINE_VERSION);
            return v == null ? null : v.toString();
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return null; // the framework is stopping
        }
    }

    @Override
    public void close() {
        try {
            system.removeBundleListener(this);
            system.removeServiceListener(this);
        } catch (IllegalStateException e) {
            // the framework is stopping
        }
    }
}
