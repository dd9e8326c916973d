package io.vidrd.runtime.weights;

import java.time.Duration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Registers the process's {@link WeightStore}. It belongs to the runtime bundle, which stays
 * installed while engines come and go; deactivating it (the runtime stopping) releases every
 * stored tensor. A configuration change replaces the store, and with it what it holds. Immediate:
 * a delayed component would be disposed whenever no engine holds it (between the stop and the
 * start of a Bundle.update), taking the stored weights with it.
 */
@Component(name = WeightStoreComponent.PID, configurationPid = WeightStoreComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, service = WeightStore.class, immediate = true)
@Designate(ocd = WeightStoreConfig.class)
public final class WeightStoreComponent implements WeightStore {

    /** The component name and configuration PID. */
    public static final String PID = "io.vidrd.runtime.weights";

    private final SharedWeightStore store;

    /** @param config the store's configuration */
    @Activate
    public WeightStoreComponent(WeightStoreConfig config) {
        this.store = new SharedWeightStore(Duration.ofSeconds(Math.max(0, config.release_delay_seconds())));
    }

    @Deactivate
    void deactivate() {
        store.close();
    }

    @Override
    public Lease lease() {
        return store.lease();
    }

    @Override
    public long tensorReads() {
        return store.tensorReads();
    }

    @Override
    public int storedFiles() {
        return store.storedFiles();
    }

    @Override
    public int storedTensors() {
        return store.storedTensors();
    }

    @Override
    public int releaseUnused() {
        return store.releaseUnused();
    }
}
