package io.vidrd.runtime.osgi;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.vidrd.runtime.RuntimeStatus;
import io.vidrd.runtime.Torch;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Loads the PyTorch natives when the runtime bundle starts, so the first job does not pay for it
 * and a missing native library shows up at once, and publishes the outcome as a
 * {@link RuntimeStatus} service. The service is registered by hand because its properties are
 * only known after loading.
 */
@Component(service = {}, immediate = true)
public final class RuntimeStatusComponent {

    private final ServiceRegistration<RuntimeStatus> registration;

    /**
     * @param context this bundle's context
     */
    @Activate
    public RuntimeStatusComponent(BundleContext context) {
        RuntimeStatus status = probe();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(RuntimeStatus.PROP_AVAILABLE, status.available());
        props.put(RuntimeStatus.PROP_ENGINE, status.engineName());
        props.put(RuntimeStatus.PROP_ENGINE_VERSION, status.engineVersion());
        props.put(RuntimeStatus.PROP_DJL_VERSION, status.djlVersion());
        props.put(RuntimeStatus.PROP_DEVICES, String.join(",", status.devices()));
        status.error().ifPresent(e -> props.put(RuntimeStatus.PROP_ERROR, e));
        registration = context.registerService(RuntimeStatus.class, status, props);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }

    private static RuntimeStatus probe() {
        try {
            Engine engine = Torch.engine();
            List<String> devices = new ArrayList<>();
            for (Device d : engine.getDevices()) {
                devices.add(d.isGpu() ? "gpu:" + d.getDeviceId() : "cpu");
            }
            if (!devices.contains("cpu")) {
                devices.add(0, "cpu");
            }
            return new Status(true, engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion(), devices, null);
        } catch (RuntimeException | LinkageError e) {
            return new Status(false, Torch.ENGINE_NAME, "unknown", Engine.getDjlVersion(), List.of(), e.getMessage());
        }
    }

    private record Status(boolean available, String engineName, String engineVersion, String djlVersion,
            List<String> devices, String failure) implements RuntimeStatus {
        @Override
        public Optional<String> error() {
            return Optional.ofNullable(failure);
        }
    }
}
