package io.vidrd.vae.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.codec.DecodeOptions;
import io.vidrd.runtime.codec.LatentCodec;
import io.vidrd.vae.golden.GoldenFiles;
import io.vidrd.vae.model.VaeFiles;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;

/** The DS components outside a framework: activation from configuration, one clear error, release on deactivate. */
class CodecComponentTest {

    @TempDir
    Path tmp;

    static CodecConfig config(Path modelDir, int sliceFrames) {
        Map<String, Object> values = Map.of("model_dir", modelDir.toString(), "device", "cpu", "dtype", "fp32",
                "slice_frames", sliceFrames);
        return (CodecConfig) Proxy.newProxyInstance(CodecConfig.class.getClassLoader(), new Class<?>[] {CodecConfig.class},
                (p, m, a) -> values.containsKey(m.getName()) ? values.get(m.getName()) : m.getDefaultValue());
    }

    static BundleContext context() {
        Bundle bundle = (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (p, m, a) -> m.getName().equals("getVersion") ? new Version(1, 2, 3) : null);
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (p, m, a) -> m.getName().equals("getBundle") ? bundle : null);
    }

    @Test
    void eachKindLoadsItsFolderAndDescribesItself() {
        Path golden = GoldenFiles.dir();
        List<CodecComponent> components = List.of(new ImageCodecComponent(config(golden, 2), context()),
                new VidrdCodecComponent(config(golden, 2), context()), new TemporalCodecComponent(config(golden, 2), context()));
        try (NDManager m = Torch.newManager(Device.cpu())) {
            for (CodecComponent c : components) {
                Map<String, String> meta = c.metadata();
                String folder = c.kind().equals(LatentCodec.KIND_IMAGE) ? "stable-diffusion-2-1-base/vae" : "vae_finetuned";
                assertEquals(golden.resolve(folder).resolve(VaeFiles.SAFETENSORS).toString(), meta.get(LatentCodec.META_WEIGHTS));
                assertEquals(c.kind(), meta.get(LatentCodec.META_KIND));
                assertEquals("1.2.3", meta.get(LatentCodec.META_VERSION));
                assertEquals(4, c.scaleFactor());
                assertEquals(4, c.latentChannels());
                assertEquals(0.18215f, c.scalingFactor());
                NDArray video = c.decode(GoldenFiles.tensor(m, "input.decode_latents.latents"), DecodeOptions.defaults());
                assertEquals(new ai.djl.ndarray.types.Shape(1, 3, 6, 32, 32), video.getShape());
            }
        } finally {
            components.forEach(CodecComponent::close);
        }
    }

    @Test
    void deactivationFreesTheWeightsAndLaterCallsFail() {
        VidrdCodecComponent c = new VidrdCodecComponent(config(GoldenFiles.dir(), 8), context());
        c.deactivate();
        try (NDManager m = Torch.newManager(Device.cpu())) {
            NDArray latents = GoldenFiles.tensor(m, "input.decode_latents.latents");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.decode(latents, DecodeOptions.defaults()));
            assertEquals("the 'vidrd' VAE codec is closed", e.getMessage());
        }
    }

    @Test
    void aBrokenVaeFailsActivationWithOneErrorNamingFileAndKeys() throws Exception {
        Path model = tmp.resolve("model");
        Path vae = Files.createDirectories(model.resolve("vae_finetuned"));
        Path src = GoldenFiles.dir().resolve("vae_finetuned");
        Files.writeString(vae.resolve(VaeFiles.CONFIG), Files.readString(src.resolve(VaeFiles.CONFIG))
                .replace("\"add_temp_conv\": true", "\"add_temp_conv\": false"));
        Files.copy(src.resolve(VaeFiles.BIN), vae.resolve(VaeFiles.BIN));

        List<LogRecord> records = new ArrayList<>();
        Logger logger = Logger.getLogger(VidrdCodecComponent.class.getName());
        Handler capture = new Handler() {
            @Override public void publish(LogRecord r) { records.add(r); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        logger.addHandler(capture);
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new VidrdCodecComponent(config(model, 8), context()));
            assertTrue(e.getMessage().startsWith("VidRD 'vidrd' VAE codec not available: "), e.getMessage());
            assertTrue(e.getMessage().contains(vae.resolve(VaeFiles.BIN).toString()), "names the weights file");
            assertTrue(e.getMessage().contains("decoder.up_blocks.0.temp_convs.0.convs.0.weight"), "names the keys");
        } finally {
            logger.removeHandler(capture);
        }
        List<LogRecord> errors = records.stream().filter(r -> r.getLevel() == Level.SEVERE).toList();
        assertEquals(1, errors.size(), "exactly one error is logged");
        assertTrue(errors.get(0).getMessage().contains(vae.resolve(VaeFiles.BIN).toString()));
    }

    @Test
    void missingModelDirectoryIsNamed() {
        Path nowhere = tmp.resolve("nowhere");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ImageCodecComponent(config(nowhere, 8), context()));
        assertTrue(e.getMessage().contains(nowhere.resolve("stable-diffusion-2-1-base/vae").toString()), e.getMessage());
    }
}
