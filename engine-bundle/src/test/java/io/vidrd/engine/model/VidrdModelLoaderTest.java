package io.vidrd.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vidrd.engine.golden.GoldenAssert;
import io.vidrd.engine.golden.GoldenFiles;
import io.vidrd.runtime.checkpoint.SafetensorsWriter;
import io.vidrd.engine.unet.UNetConfig;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.checkpoint.SafetensorsReader;
import io.vidrd.runtime.checkpoint.StateDict;
import io.vidrd.runtime.nn.WeightBindingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a whole model directory, and the errors for checkpoints that do not fit. */
class VidrdModelLoaderTest {

    private static final String SD = ModelDirectory.SD_FOLDER;
    private static final UNetConfig.TemporalFlags FLAGS = UNetConfig.TemporalFlags.official();

    @TempDir
    Path tmp;

    @Test
    void loadsTheGoldenDirectoryFromEitherCheckpointFormat() throws Exception {
        ModelDirectory dir = ModelDirectory.of(GoldenFiles.dir());
        assertEquals("ModelT2V.pth", dir.checkpoint().getFileName().toString(), "the .pth is preferred");
        for (ModelDirectory d : List.of(dir, dir.withCheckpoint(dir.root().resolve("ModelT2V.safetensors")))) {
            try (NDManager m = Torch.newManager(Device.cpu()); VidrdModels models = VidrdModelLoader.load(d, FLAGS, m, Precision.FP32)) {
                NDArray text = models.textEncoder().forward(GoldenFiles.tensor(m, "tokenizer.input_ids"));
                GoldenAssert.assertClose("text_encoder.last_hidden_state", text, GoldenFiles.tensor(m, "text_encoder.last_hidden_state"));
                NDArray out = models.unet().forward(GoldenFiles.tensor(m, "input.unet_f1.sample"),
                        GoldenFiles.tensor(m, "input.unet_f1.timesteps"), GoldenFiles.tensor(m, "unet_f1.encoder_hidden_states"));
                GoldenAssert.assertClose("unet_f1.out", out, GoldenFiles.tensor(m, "unet_f1.out"));
            }
        }
    }

    @Test
    void missingUNetKeyIsNamed() throws Exception {
        WeightBindingException e = loadBroken(w -> w.remove("unet.mid_block.attentions.0.transformer_blocks.0.temp_attn.to_q.weight"));
        assertEquals(List.of("unet.mid_block.attentions.0.transformer_blocks.0.temp_attn.to_q.weight"), e.missing());
        assertTrue(e.unexpected().isEmpty() && e.mismatched().isEmpty(), e.getMessage());
        assertTrue(e.getMessage().contains("U-Net") && e.getMessage().contains("ModelT2V.safetensors")
                && e.getMessage().contains("1 missing"), e.getMessage());
    }

    @Test
    void extraUNetKeyIsNamed() throws Exception {
        WeightBindingException e = loadBroken(w -> w.putZeros("unet.temp_transformer.proj_in.weight", 32, 32));
        assertEquals(List.of("unet.temp_transformer.proj_in.weight"), e.unexpected());
        assertTrue(e.missing().isEmpty() && e.mismatched().isEmpty(), e.getMessage());
    }

    @Test
    void wrongShapeIsNamedWithBothShapes() throws Exception {
        WeightBindingException e = loadBroken(w -> w.putZeros("unet.conv_in.weight", 32, 4, 1, 1));
        assertEquals(List.of("unet.conv_in.weight: expected [32, 4, 3, 3], file has [32, 4, 1, 1]"), e.mismatched());
    }

    @Test
    void incompleteCheckpointTextEncoderIsAnError() throws Exception {
        WeightBindingException e = loadBroken(w -> w.remove("text_encoder.final_layer_norm.bias"));
        assertEquals(List.of("text_encoder.final_layer_norm.bias"), e.missing());
        assertTrue(e.getMessage().startsWith("text encoder"), e.getMessage());
    }

    @Test
    void withoutCheckpointTextEncoderTheStableDiffusionOneIsUsed() throws Exception {
        Path root = brokenDirectory(w -> w.removePrefix("text_encoder."));
        try (NDManager m = Torch.newManager(Device.cpu());
                VidrdModels models = VidrdModelLoader.load(ModelDirectory.of(root), FLAGS, m, Precision.FP32)) {
            NDArray text = models.textEncoder().forward(GoldenFiles.tensor(m, "tokenizer.input_ids"));
            NDArray reference = GoldenFiles.tensor(m, "text_encoder.last_hidden_state");
            // the SD 2.1 file holds other random values than ModelT2V: the golden output must not come out
            assertTrue(text.sub(reference).abs().max().getFloat() > 0.1f);
        }
    }

    @Test
    void configThatDoesNotMatchTheWeightsListsEveryMismatch() throws Exception {
        Path root = brokenDirectory(w -> { });
        Path config = root.resolve(SD).resolve("unet/config.json");
        String json = Files.readString(config, StandardCharsets.UTF_8);
        // level 2 widened from 32 to 64 channels
        Files.writeString(config, json.replaceFirst("32,\\s*32,\\s*32,\\s*64", "32, 32, 64, 64"), StandardCharsets.UTF_8);
        WeightBindingException e = assertThrows(WeightBindingException.class, () -> load(root));
        System.out.println(e.getMessage());
        assertTrue(e.mismatched().size() > 20, e.getMessage());
        assertTrue(e.getMessage().contains("... and " + (e.mismatched().size() - 20) + " more"), e.getMessage());
        assertTrue(e.mismatched().contains("unet.down_blocks.2.resnets.0.conv1.weight: expected [64, 32, 3, 3], file has [32, 32, 3, 3]"),
                e.getMessage());
    }

    @Test
    void unsupportedFlagsAndConfigsFailClearly() throws Exception {
        Path config = GoldenFiles.file(SD + "/unet/config.json");
        IOException flag = assertThrows(IOException.class,
                () -> UNetConfig.read(config, new UNetConfig.TemporalFlags(true, true, true, false, false)));
        assertTrue(flag.getMessage().contains("add_temp_transformer") && flag.getMessage().contains(config.toString()),
                flag.getMessage());
        Path root = brokenDirectory(w -> { });
        Path copy = root.resolve(SD).resolve("unet/config.json");
        Files.writeString(copy, Files.readString(copy).replace("\"use_linear_projection\": true", "\"use_linear_projection\": false"));
        IOException e = assertThrows(IOException.class, () -> load(root));
        assertTrue(e.getMessage().contains(copy.toString()) && e.getMessage().contains("use_linear_projection"), e.getMessage());
    }

    @Test
    void missingLayoutFileIsNamed() throws Exception {
        Path root = brokenDirectory(w -> { });
        Files.delete(root.resolve(SD).resolve("unet/config.json"));
        ModelLayoutException e = assertThrows(ModelLayoutException.class, () -> ModelDirectory.of(root));
        assertTrue(e.getMessage().contains("unet" + java.io.File.separator + "config.json"), e.getMessage());
        Files.delete(root.resolve("ModelT2V.safetensors"));
        e = assertThrows(ModelLayoutException.class, () -> ModelDirectory.of(root));
        assertTrue(e.getMessage().contains("ModelT2V.pth"), e.getMessage());
    }

    private WeightBindingException loadBroken(java.util.function.Consumer<SafetensorsWriter> edit) throws Exception {
        Path root = brokenDirectory(edit);
        return assertThrows(WeightBindingException.class, () -> load(root));
    }

    private static void load(Path root) throws IOException {
        try (NDManager m = Torch.newManager(Device.cpu())) {
            VidrdModelLoader.load(ModelDirectory.of(root), FLAGS, m, Precision.FP32).close();
        }
    }

    /** A model directory with configs and SD text encoder copied from the golden set and an edited checkpoint. */
    private Path brokenDirectory(java.util.function.Consumer<SafetensorsWriter> edit) throws IOException {
        Path golden = GoldenFiles.dir();
        Path root = Files.createTempDirectory(tmp, "model");
        for (String f : List.of("unet/config.json", "text_encoder/config.json", "text_encoder/model.safetensors")) {
            Path target = root.resolve(SD).resolve(f);
            Files.createDirectories(target.getParent());
            Files.copy(golden.resolve(SD).resolve(f), target);
        }
        try (StateDict d = SafetensorsReader.open(golden.resolve("ModelT2V.safetensors"))) {
            SafetensorsWriter w = SafetensorsWriter.copyOf(d);
            edit.accept(w);
            w.write(root.resolve("ModelT2V.safetensors"));
        }
        return root;
    }
}
