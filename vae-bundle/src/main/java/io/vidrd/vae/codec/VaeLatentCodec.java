package io.vidrd.vae.codec;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vidrd.runtime.ComputeTarget;
import io.vidrd.runtime.DeviceMemory;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.codec.CodecClosedException;
import io.vidrd.runtime.codec.DecodeOptions;
import io.vidrd.runtime.codec.LatentCodec;
import io.vidrd.runtime.codec.LatentDistribution;
import io.vidrd.runtime.codec.OwnedLatentCodec;
import io.vidrd.runtime.nn.Frames;
import io.vidrd.vae.model.AutoencoderKl;
import io.vidrd.vae.model.VaeConfig;
import io.vidrd.vae.model.VaeFiles;
import io.vidrd.vae.model.VaeLoader;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link LatentCodec} over one loaded {@link AutoencoderKl}. Owns the manager holding the
 * weights (closed by {@link #close()}); each call works in sub-managers of its own, one per slice,
 * so temporaries of a slice are freed before the next starts, and only the result reaches the
 * caller's manager. Thread-safe; {@link #close()} waits for calls in flight, because freeing
 * native weights under a running call would crash the process.
 */
public final class VaeLatentCodec implements OwnedLatentCodec {

    private final CodecKind kind;
    private final AutoencoderKl model;
    private final NDManager weights;
    private final ComputeTarget target;
    private final int sliceFrames;
    private final SliceEncoder encoder;
    private final String description;
    private final Map<String, String> metadata;
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private VaeLatentCodec(CodecKind kind, AutoencoderKl model, NDManager weights, ComputeTarget target,
            int sliceFrames, VaeFiles files, String version) {
        this.kind = kind;
        this.model = model;
        this.weights = weights;
        this.target = target;
        this.sliceFrames = sliceFrames;
        this.encoder = new SliceEncoder(model, target.precision().dataType());
        this.description = kind.description() + " (" + files.weightsFile() + ", " + target + ")";
        VaeConfig c = model.config();
        Map<String, String> m = new LinkedHashMap<>();
        m.put(META_KIND, kind.id());
        m.put(META_WEIGHTS, files.weightsFile().toAbsolutePath().toString());
        m.put(META_CONFIG, files.configFile().toAbsolutePath().toString());
        m.put(META_MODEL_CLASS, c.className());
        m.put(META_SCALING_FACTOR, Double.toString(c.scalingFactor()));
        m.put(META_DEVICE, target.deviceName());
        m.put(META_DTYPE, target.precision().shortName());
        m.put(META_VERSION, version);
        m.put("vidrd.vae.temporal_layers", Boolean.toString(kind.temporal()));
        m.put("vidrd.vae.slice_frames", Integer.toString(sliceFrames));
        this.metadata = Collections.unmodifiableMap(m);
    }

    /**
     * Loads the weights once, strictly (every key and shape checked).
     *
     * @param kind which codec
     * @param files the VAE's config and weights
     * @param target device and precision of the weights and the computation
     * @param sliceFrames frames decoded at once when a call does not say (0: all at once)
     * @param version implementation version for the metadata
     * @return the codec, owning its weights
     * @throws IOException if a file is missing, unreadable or unsupported, or the temporal kind is
     *     given a VAE without temporal layers; the message names the file
     * @throws io.vidrd.runtime.nn.WeightBindingException if the weights do not fit the
     *     configuration; the message names the files and the keys
     */
    public static VaeLatentCodec open(CodecKind kind, VaeFiles files, ComputeTarget target, int sliceFrames,
            String version) throws IOException {
        Objects.requireNonNull(kind, "kind");
        if (sliceFrames < 0) {
            throw new IllegalArgumentException("slice.frames must be >= 0 (0 = all frames at once), got " + sliceFrames);
        }
        NDManager manager = Torch.newManager(target.device());
        try {
            AutoencoderKl model = VaeLoader.load(files, manager, target.precision());
            if (kind.temporal() && !model.config().addTempConv()) {
                throw new IOException(files.configFile() + ": the '" + kind.id() + "' codec needs a VAE with temporal"
                        + " conv layers (add_temp_conv = true), this configuration has none");
            }
            return new VaeLatentCodec(kind, model, manager, target, sliceFrames, files, version);
        } catch (IOException | RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public String kind() {
        return kind.id();
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public int scaleFactor() {
        return model.config().scaleFactor();
    }

    @Override
    public int latentChannels() {
        return model.config().latentChannels();
    }

    @Override
    public float scalingFactor() {
        return (float) model.config().scalingFactor();
    }

    @Override
    public NDArray decode(NDArray latents, DecodeOptions options) {
        Shape s = latents.getShape();
        if (s.dimension() != 5 || s.get(1) != latentChannels()) {
            throw new IllegalArgumentException("latents must be [B, " + latentChannels() + ", F, h, w], got " + s);
        }
        int frames = Math.toIntExact(s.get(2));
        int clip = clipFrames(options, frames);
        return guarded(() -> {
            NDManager caller = latents.getManager();
            try (NDManager call = caller.newSubManager()) {
                NDArray folded = Frames.fold(alias(latents, call));
                NDArray pixels = run(folded, clip, slice(options), true, call);
                NDArray video = Frames.unfold(pixels, frames);
                video.attach(caller);
                return video;
            }
        });
    }

    @Override
    public NDArray decodeFrames(NDArray z, DecodeOptions options) {
        Shape s = z.getShape();
        if (s.dimension() != 4 || s.get(1) != latentChannels()) {
            throw new IllegalArgumentException("latents must be [N, " + latentChannels() + ", h, w], got " + s);
        }
        int clip = clipFrames(options, Math.toIntExact(s.get(0)));
        return guarded(() -> {
            NDManager caller = z.getManager();
            try (NDManager call = caller.newSubManager()) {
                NDArray out = run(alias(z, call), clip, slice(options), false, call);
                out.attach(caller);
                return out;
            }
        });
    }

    @Override
    public LatentDistribution encode(NDArray frames) {
        Shape s = frames.getShape();
        VaeConfig c = model.config();
        if (s.dimension() != 4 || s.get(1) != c.inChannels()) {
            throw new IllegalArgumentException("frames must be [N, " + c.inChannels() + ", H, W], got " + s);
        }
        int n = Math.toIntExact(s.get(0));
        int latent = c.latentChannels();
        return guarded(() -> {
            NDManager caller = frames.getManager();
            Device out = frames.getDevice();
            try (NDManager call = caller.newSubManager()) {
                NDArray in = alias(frames, call);
                NDArray mean = null;
                NDArray logvar = null;
                FrameSlices plan = new FrameSlices(n, sliceFrames == 0 ? Math.max(1, n) : sliceFrames, 1);
                for (int i = 0; i < plan.count(); i++) {
                    NDIndex rows = new NDIndex("{}:{}", plan.start(i), plan.end(i));
                    try (NDManager work = weights.newSubManager()) {
                        NDArray[] moments = encoder.meanAndLogvar(onDevice(in.get(rows), work), out);
                        NDArray m = moments[0];
                        NDArray lv = moments[1];
                        if (mean == null) {
                            Shape ls = new Shape(n, latent, m.getShape().get(2), m.getShape().get(3));
                            mean = call.zeros(ls, DataType.FLOAT32, out);
                            logvar = call.zeros(ls, DataType.FLOAT32, out);
                        }
                        mean.set(rows, m);
                        logvar.set(rows, lv);
                    }
                }
                mean.attach(caller);
                logvar.attach(caller);
                return new LatentDistribution(mean, logvar);
            }
        });
    }

    /**
     * Decodes folded frames slice by slice into one fp32 array on {@code call}, on the input's device.
     *
     * @param z {@code [N, C, h, w]}, a view owned by {@code call}
     * @param clip frames per clip for the temporal layers (1 for per-frame kinds)
     * @param slice requested frames per slice
     * @param pipeline whether to apply the pipeline's un-scaling and {@code clamp(x/2+0.5, 0, 1)}
     */
    private NDArray run(NDArray z, int clip, int slice, boolean pipeline, NDManager call) {
        int n = Math.toIntExact(z.getShape().get(0));
        Device out = z.getDevice();
        FrameSlices plan = new FrameSlices(n, slice == 0 ? Math.max(1, n) : slice, clip);
        float inverse = model.config().inverseScalingFactor();
        DataType dtype = target.precision().dataType();
        NDArray result = null;
        for (int i = 0; i < plan.count(); i++) {
            NDIndex rows = new NDIndex("{}:{}", plan.start(i), plan.end(i));
            try (NDManager work = weights.newSubManager()) {
                NDArray x = onDevice(z.get(rows), work).toType(DataType.FLOAT32, false);
                if (pipeline) {
                    x = x.mul(inverse);
                }
                NDArray y = model.decode(x.toType(dtype, false), clip);
                if (pipeline) {
                    y = y.div(2f).add(0.5f).clip(0f, 1f);
                }
                y = fp32(y, out);
                if (result == null) {
                    Shape ys = y.getShape();
                    result = call.zeros(new Shape(n, ys.get(1), ys.get(2), ys.get(3)), DataType.FLOAT32, out);
                }
                result.set(rows, y);
            }
        }
        return result;
    }

    private int clipFrames(DecodeOptions options, int frames) {
        if (!kind.temporal()) {
            return 1;
        }
        int clip = options.clipFrames() == 0 ? frames : options.clipFrames();
        if (frames % clip != 0) {
            throw new IllegalArgumentException(frames + " frames cannot be grouped into clips of " + clip + " frames");
        }
        return clip;
    }

    private int slice(DecodeOptions options) {
        return options.sliceFrames() == 0 ? sliceFrames : options.sliceFrames();
    }

    /** A view of the caller's array owned by {@code scope}, so derived views do not pile up on the caller's manager. */
    private static NDArray alias(NDArray x, NDManager scope) {
        NDArray view = x.reshape(x.getShape());
        view.attach(scope);
        return view;
    }

    /** Moves a slice (created on the caller's side) into {@code work} and onto the codec's device. */
    private NDArray onDevice(NDArray slice, NDManager work) {
        slice.attach(work);
        NDArray moved = slice.toDevice(target.device(), false);
        moved.attach(work);
        return moved;
    }

    /** @return {@code x} as fp32 on {@code device} (itself when it already is) */
    static NDArray fp32(NDArray x, Device device) {
        return x.toType(DataType.FLOAT32, false).toDevice(device, false);
    }

    private <T> T guarded(java.util.function.Supplier<T> call) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new CodecClosedException("the '" + kind.id() + "' VAE codec is closed");
            }
            return call.get();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Frees the weights after the calls in flight have finished; later calls fail. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                weights.close();
                // a reconfigured codec's memory goes back to the driver for its successor
                DeviceMemory.releaseCached(target.device());
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
