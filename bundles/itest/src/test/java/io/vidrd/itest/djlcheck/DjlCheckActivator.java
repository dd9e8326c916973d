package io.vidrd.itest.djlcheck;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import io.vidrd.runtime.Torch;
import java.util.Hashtable;
import java.util.function.Supplier;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Activator of a throw-away bundle that uses DJL the way engine and VAE bundles do: it imports
 * DJL from the runtime bundle and runs a matmul and a conv2d each time its service is called.
 * The test installs and uninstalls it repeatedly to prove that swapping a DJL consumer never
 * reloads the JNI library.
 */
public final class DjlCheckActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("vidrd.itest", "djl-check");
        Supplier<float[]> ops = DjlCheckActivator::compute;
        context.registerService(Supplier.class, ops, props);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }

    /** @return matmul of [[1,2],[3,4]] and [[5,6],[7,8]], then a 2x2 all-ones conv (+0.5 bias) over a 3x3 ramp */
    static float[] compute() {
        try (NDManager m = Torch.newManager(Device.cpu())) {
            NDArray a = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray b = m.create(new float[] {5, 6, 7, 8}, new Shape(2, 2));
            float[] mm = a.matMul(b).toFloatArray();
            NDArray x = m.arange(9f).reshape(1, 1, 3, 3);
            NDArray w = m.ones(new Shape(1, 1, 2, 2));
            NDArray bias = m.create(new float[] {0.5f});
            float[] conv = Conv2d.conv2d(x, w, bias, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1)
                    .singletonOrThrow().toFloatArray();
            float[] out = new float[mm.length + conv.length];
            System.arraycopy(mm, 0, out, 0, mm.length);
            System.arraycopy(conv, 0, out, mm.length, conv.length);
            return out;
        }
    }
}
