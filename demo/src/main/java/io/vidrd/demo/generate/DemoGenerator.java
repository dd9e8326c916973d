package io.vidrd.demo.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vidrd.api.EngineInfo;
import io.vidrd.api.Frame;
import io.vidrd.api.GenerationRequest;
import io.vidrd.engine.model.EngineModel;
import io.vidrd.engine.model.ModelDefaults;
import io.vidrd.engine.model.ModelDirectory;
import io.vidrd.engine.sampling.PromptEncoder;
import io.vidrd.engine.sampling.SamplingListener;
import io.vidrd.engine.sampling.SamplingPlan;
import io.vidrd.engine.sampling.VidrdSampler;
import io.vidrd.runtime.ComputeTarget;
import io.vidrd.runtime.SeededNoiseSource;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.codec.DecodeOptions;
import io.vidrd.vae.codec.CodecKind;
import io.vidrd.vae.codec.VaeLatentCodec;
import io.vidrd.vae.model.VaeFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Generates videos from a model directory on the CPU or a GPU with the engine's classes, as the
 * engine's job pipeline does it (same plan, prompt schedule, seeded noise, decoding clip by clip,
 * 8-bit truncation), without an OSGi container: for the evaluator and end-to-end tests.
 */
public final class DemoGenerator implements AutoCloseable {

    private final NDManager root;
    private final EngineModel model;
    private final VaeLatentCodec vae;
    private final EngineInfo info;

    private DemoGenerator(NDManager root, EngineModel model, VaeLatentCodec vae, EngineInfo info) {
        this.root = root;
        this.model = model;
        this.vae = vae;
        this.info = info;
    }

    /**
     * @param dir a model directory in the official layout
     * @param kind which VAE decodes
     * @param target device and precision
     * @return the generator, owning the loaded model
     * @throws IOException if the model cannot be loaded
     */
    public static DemoGenerator open(Path dir, CodecKind kind, ComputeTarget target) throws IOException {
        Optional<ModelDefaults> defaults = ModelDefaults.read(dir);
        NDManager root = Torch.newManager(target.device());
        try {
            EngineModel model = EngineModel.load(ModelDirectory.of(dir), root, target.precision());
            try {
                VaeLatentCodec vae = VaeLatentCodec.open(kind, VaeFiles.in(kind.vaeFolder(dir)), target, 0,
                        "demo");
                // as the engine describes itself: the model's size is what a request without one gets
                EngineInfo info = new EngineInfo("vidrd-demo", "1", model.id(), target.deviceName(),
                        target.precision().shortName(),
                        defaults.map(d -> Map.of(EngineInfo.PROP_DEFAULT_SIZE, d.toString())).orElse(Map.of()));
                return new DemoGenerator(root, model, vae, info);
            } catch (IOException | RuntimeException e) {
                model.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /**
     * @param asked what to generate (its size must be a multiple of the VAE's scale factor); a
     *     request that sets no size gets the model's ({@link ModelDefaults}), as from the engine
     * @return the frames of every clip, in order
     */
    public List<Frame> generate(GenerationRequest asked) {
        GenerationRequest request = info.withDefaultSize(asked);
        int scale = vae.scaleFactor();
        SamplingPlan plan = SamplingPlan.of(request.framesPerClip(), request.clips(), request.steps(),
                request.guidanceScale(), request.height() / scale, request.width() / scale)
                .withLongVideo(request.promptFrames(), request.noiseReuse(), request.stagedGuidance());
        List<Frame> frames = new ArrayList<>(request.totalFrames());
        try (NDManager job = root.newSubManager();
                PromptEncoder prompts = new PromptEncoder(model.tokenizer(), model.models().textEncoder(), job,
                        message -> { })) {
            new VidrdSampler(model.models().unet(), model.schedule()).sample(job, plan,
                    prompts.schedule(request::promptForClip, request.negativePrompt(), request.guidanceScale()),
                    new SeededNoiseSource(request.seed()), null, new SamplingListener() {
                        @Override
                        public void onClip(int clip, NDArray finalLatents) {
                            frames.addAll(toFrames(vae.decode(finalLatents, DecodeOptions.defaults())));
                        }
                    });
        }
        return frames;
    }

    /** {@code [1, 3, F, H, W]} in [0, 1] to frames, {@code (uint8) (x · 255)} as the engine quantises. */
    private static List<Frame> toFrames(NDArray video) {
        Shape s = video.getShape();
        int count = (int) s.get(2);
        int h = (int) s.get(3);
        int w = (int) s.get(4);
        byte[] all;
        try (NDArray scaled = video.mul(255f); NDArray bytes = scaled.toType(DataType.UINT8, false);
                NDArray hwc = bytes.squeeze(0).transpose(1, 2, 3, 0)) {
            all = hwc.toByteArray();
        }
        List<Frame> out = new ArrayList<>(count);
        int size = h * w * 3;
        for (int f = 0; f < count; f++) {
            byte[] rgb = new byte[size];
            System.arraycopy(all, f * size, rgb, 0, size);
            out.add(Frame.ofRgb(w, h, rgb));
        }
        return out;
    }

    @Override
    public void close() {
        vae.close();
        model.close();
        root.close();
    }
}
