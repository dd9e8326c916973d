package io.vidrd.vae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.vidrd.runtime.ComputeTarget;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.checkpoint.Checkpoints;
import io.vidrd.runtime.checkpoint.StateDict;
import io.vidrd.runtime.nn.WeightBindingException;
import io.vidrd.vae.codec.CodecKind;
import io.vidrd.vae.codec.VaeLatentCodec;
import io.vidrd.vae.golden.GoldenFiles;
import io.vidrd.runtime.checkpoint.SafetensorsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A VAE folder that does not fit its configuration fails with one error naming the files and every bad key. */
class VaeLoaderErrorTest {

    private static final String TEMP_KEY = "decoder.up_blocks.1.temp_convs.0.convs.7.weight";

    @TempDir
    Path tmp;

    /** A copy of the golden fine-tuned VAE folder with edited weights (and optionally an edited config). */
    private VaeFiles brokenFinetuned(UnaryOperator<SafetensorsWriter> edit, UnaryOperator<String> config) throws IOException {
        Path src = GoldenFiles.dir().resolve("vae_finetuned");
        Path dir = Files.createDirectories(tmp.resolve("vae_finetuned"));
        Files.writeString(dir.resolve(VaeFiles.CONFIG),
                config.apply(Files.readString(src.resolve(VaeFiles.CONFIG), StandardCharsets.UTF_8)));
        try (StateDict d = Checkpoints.open(src.resolve(VaeFiles.SAFETENSORS))) {
            edit.apply(SafetensorsWriter.copyOf(d)).write(dir.resolve(VaeFiles.SAFETENSORS));
        }
        return VaeFiles.in(dir);
    }

    private static WeightBindingException bindingFails(VaeFiles files) {
        try (NDManager m = Torch.newManager(Device.cpu())) {
            WeightBindingException e = assertThrows(WeightBindingException.class, () -> VaeLoader.load(files, m, Precision.FP32));
            System.out.println("[loader error] " + e.getMessage().replace("\n", "\n               "));
            assertTrue(e.getMessage().contains(files.weightsFile().toString()), "names the weights file");
            assertTrue(e.getMessage().contains(files.configFile().toString()), "names the config file");
            assertEquals(List.of(files.weightsFile()), e.files());
            return e;
        }
    }

    private static IOException readFails(VaeFiles files) {
        try (NDManager m = Torch.newManager(Device.cpu())) {
            IOException e = assertThrows(IOException.class, () -> VaeLoader.load(files, m, Precision.FP32));
            System.out.println("[loader error] " + e.getMessage());
            return e;
        }
    }

    @Test
    void missingKey() throws IOException {
        WeightBindingException e = bindingFails(brokenFinetuned(w -> w.remove(TEMP_KEY), c -> c));
        assertEquals(List.of(TEMP_KEY), e.missing());
        assertTrue(e.unexpected().isEmpty() && e.mismatched().isEmpty());
        assertTrue(e.getMessage().contains(TEMP_KEY));
    }

    @Test
    void extraKey() throws IOException {
        String extra = "decoder.up_blocks.0.temp_convs.2.convs.0.weight";
        WeightBindingException e = bindingFails(brokenFinetuned(w -> w.putZeros(extra, 32), c -> c));
        assertEquals(List.of(extra), e.unexpected());
        assertTrue(e.missing().isEmpty() && e.mismatched().isEmpty());
        assertTrue(e.getMessage().contains(extra));
    }

    @Test
    void wrongShape() throws IOException {
        WeightBindingException e = bindingFails(brokenFinetuned(w -> w.putZeros("decoder.conv_in.weight", 32, 4, 1, 1), c -> c));
        assertEquals(List.of("decoder.conv_in.weight: expected [32, 4, 3, 3], file has [32, 4, 1, 1]"), e.mismatched());
        assertTrue(e.getMessage().contains("decoder.conv_in.weight"));
    }

    @Test
    void configWithoutTemporalLayersDoesNotDescribeTheFineTunedWeights() throws IOException {
        WeightBindingException e = bindingFails(brokenFinetuned(w -> w,
                c -> c.replace("\"add_temp_conv\": true", "\"add_temp_conv\": false")));
        assertEquals(72, e.unexpected().size(), "every temporal tensor is reported");
        assertTrue(e.unexpected().stream().allMatch(k -> k.contains(".temp_convs.")));
        assertTrue(e.getMessage().contains("add_temp_conv=false"));
    }

    @Test
    void configWithOtherChannelsDoesNotFitTheWeights() throws IOException {
        WeightBindingException e = bindingFails(brokenFinetuned(w -> w, c -> c.replace("32,\n    32,\n    32", "64,\n    64,\n    64")));
        assertTrue(e.mismatched().size() > 100, "every tensor of the wrong width is reported: " + e.mismatched().size());
        assertTrue(e.mismatched().contains("decoder.conv_in.weight: expected [64, 4, 3, 3], file has [32, 4, 3, 3]"));
        assertTrue(e.getMessage().contains("encoder.conv_in.weight: expected [64, 3, 3, 3], file has [32, 3, 3, 3]"));
    }

    @Test
    void truncatedWeightsFile() throws IOException {
        VaeFiles files = brokenFinetuned(w -> w, c -> c);
        byte[] all = Files.readAllBytes(files.weightsFile());
        Files.write(files.weightsFile(), java.util.Arrays.copyOf(all, all.length / 2));
        IOException e = readFails(files);
        assertTrue(e.getMessage().contains(files.weightsFile().toString()), e.getMessage());
    }

    @Test
    void truncatedPyTorchFile() throws IOException {
        Path src = GoldenFiles.dir().resolve("vae_finetuned");
        Path dir = Files.createDirectories(tmp.resolve("bin"));
        Files.copy(src.resolve(VaeFiles.CONFIG), dir.resolve(VaeFiles.CONFIG));
        byte[] all = Files.readAllBytes(src.resolve(VaeFiles.BIN));
        Files.write(dir.resolve(VaeFiles.BIN), java.util.Arrays.copyOf(all, all.length - 4096));
        VaeFiles files = VaeFiles.in(dir);
        IOException e = readFails(files);
        assertTrue(e.getMessage().contains(files.weightsFile().toString()), e.getMessage());
    }

    @Test
    void notACheckpointAndNoWeightsAndNoConfig() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("garbage"));
        Files.copy(GoldenFiles.dir().resolve("vae_finetuned").resolve(VaeFiles.CONFIG), dir.resolve(VaeFiles.CONFIG));
        Files.writeString(dir.resolve(VaeFiles.BIN), "this is not a checkpoint");
        IOException garbage = readFails(VaeFiles.in(dir));
        assertTrue(garbage.getMessage().contains(dir.resolve(VaeFiles.BIN).toString()));

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        java.io.FileNotFoundException none = assertThrows(java.io.FileNotFoundException.class, () -> VaeFiles.in(empty));
        assertTrue(none.getMessage().contains(empty.toString()) && none.getMessage().contains(VaeFiles.SAFETENSORS));

        Files.delete(dir.resolve(VaeFiles.CONFIG));
        IOException noConfig = readFails(VaeFiles.in(dir));
        assertTrue(noConfig.getMessage().contains(dir.resolve(VaeFiles.CONFIG).toString()));
    }

    @Test
    void unsupportedConfigurationIsRefusedWithFileAndOption() throws IOException {
        VaeFiles files = brokenFinetuned(w -> w, c -> c.replace("\"act_fn\": \"silu\"", "\"act_fn\": \"gelu\""));
        IOException e = readFails(files);
        assertTrue(e.getMessage().contains(files.configFile().toString()) && e.getMessage().contains("act_fn"));
    }

    @Test
    void temporalCodecRefusesAVaeWithoutTemporalLayers() {
        Path plain = CodecKind.IMAGE.vaeFolder(GoldenFiles.dir());
        IOException e = assertThrows(IOException.class,
                () -> VaeLatentCodec.open(CodecKind.TEMPORAL, VaeFiles.in(plain), ComputeTarget.cpu(), 0, "test"));
        assertTrue(e.getMessage().contains(plain.resolve(VaeFiles.CONFIG).toString()) && e.getMessage().contains("add_temp_conv"));
    }
}
