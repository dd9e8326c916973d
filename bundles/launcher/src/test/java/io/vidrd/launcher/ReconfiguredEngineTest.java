package io.vidrd.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;

/** The bench submits only once every codec of the kind carries the new configuration. */
class ReconfiguredEngineTest {

    private static ServiceReference<?> codec(Map<String, Object> properties) {
        return (ServiceReference<?>) Proxy.newProxyInstance(ReconfiguredEngineTest.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return properties.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void waitsForTheOldCodecToGoAndTheNewOneToCome() {
        Map<String, String> bf16 = Map.of("dtype", "bf16", "device", "gpu:0");
        ServiceReference<?> old = codec(Map.of("dtype", "fp16", "device", "gpu:0", "vidrd.vae.kind", "vidrd"));
        ServiceReference<?> reconfigured = codec(Map.of("dtype", "bf16", "device", "gpu:0", "vidrd.vae.kind", "vidrd"));
        assertFalse(ReconfiguredEngine.codecReady(List.of(old), bf16), "the old codec is still registered");
        assertFalse(ReconfiguredEngine.codecReady(List.of(), bf16), "no codec (between unregistering and registering)");
        assertFalse(ReconfiguredEngine.codecReady(List.of(reconfigured, old), bf16), "both: the old one may still be bound");
        assertTrue(ReconfiguredEngine.codecReady(List.of(reconfigured), bf16));
        assertFalse(ReconfiguredEngine.codecReady(List.of(codec(Map.of("device", "gpu:0"))), bf16), "no dtype property");
    }
}
