package io.vidrd.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtEngineProvider;

/**
 * The one way project code reaches DJL's PyTorch engine.
 *
 * <p>DJL discovers engines with {@code ServiceLoader} through the thread context class loader and
 * caches the outcome in a JVM-wide registry. Inside OSGi the caller's context class loader is
 * arbitrary, so the provider is registered explicitly, with this bundle's class loader as the
 * context, before the engine is first touched. The natives are then loaded by this bundle's class
 * loader, the only one allowed to hold the JNI library for the lifetime of the JVM. This class
 * keeps no state of its own; the registry it feeds is DJL's.
 */
public final class Torch {

    /** DJL's name of the PyTorch engine; always ask for the engine by this name. */
    public static final String ENGINE_NAME = "PyTorch";

    private Torch() {}

    /**
     * @return the PyTorch engine, registered and with its natives loaded on first use
     * @throws TorchUnavailableException if the native libraries cannot be found or loaded
     */
    public static Engine engine() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Torch.class.getClassLoader());
        try {
            if (System.getProperty("ai.djl.offline") == null) {
                // Nothing may be downloaded at run time: natives come from the natives fragment
                // or from PYTORCH_LIBRARY_PATH.
                System.setProperty("ai.djl.offline", "true");
            }
            synchronized (Torch.class) {
                if (!Engine.hasEngine(ENGINE_NAME)) {
                    Engine.registerEngine(new PtEngineProvider());
                }
            }
            return Engine.getEngine(ENGINE_NAME);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new TorchUnavailableException("PyTorch native libraries could not be loaded: " + e
                    + ". On CPU install the io.vidrd.runtime.natives.cpu fragment; for CUDA set"
                    + " PYTORCH_LIBRARY_PATH (and PYTORCH_FLAVOR) to a libtorch with a matching DJL JNI.", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Switches PyTorch's autograd off on the calling thread, for threads that only run models.
     * Grad mode is per thread and on by default; DJL switches it off only on the thread that loads
     * the engine. With it off, the blocks may use fused kernels and in-place shortcuts
     * ({@code FusedKernels.inferenceOnThisThread()}); nothing is recorded for backward either way
     * while no weight requires gradients.
     */
    public static void inferenceThread() {
        engine();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    }

    /**
     * @param device where the manager's arrays live
     * @return a new root manager on the PyTorch engine; the caller closes it
     */
    public static NDManager newManager(Device device) {
        return engine().newBaseManager(device);
    }
}
