package io.vidrd.engine.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vidrd.engine.golden.GoldenAssert;
import io.vidrd.engine.golden.GoldenFiles;
import io.vidrd.engine.model.VidrdModelLoader;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.checkpoint.Checkpoints;
import io.vidrd.runtime.checkpoint.StateDict;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CLIP text encoder against the reference's last hidden state. */
class ClipTextEncoderParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"ModelT2V.safetensors", "ModelT2V.pth"})
    void checkpointTextEncoderMatchesReference(String checkpointName) throws Exception {
        Path golden = GoldenFiles.dir();
        ClipTextConfig config = ClipTextConfig.read(golden.resolve("stable-diffusion-2-1-base/text_encoder/config.json"));
        assertEquals(new ClipTextConfig(589, 32, 2, 2, 128, 77, 1e-5f, "gelu"), config);
        try (NDManager root = Torch.newManager(Device.cpu()); NDManager weights = root.newSubManager();
                NDManager m = root.newSubManager()) {
            ClipTextEncoder encoder;
            try (StateDict ckpt = open(golden.resolve(checkpointName))) {
                encoder = VidrdModelLoader.bindTextEncoder(ckpt, VidrdModelLoader.TEXT_ENCODER_PREFIX, config, weights, Precision.FP32);
            }
            int held = weights.getManagedArrays().size();
            org.junit.jupiter.api.Assertions.assertTrue(held > 0);
            NDArray out = encoder.forward(GoldenFiles.tensor(m, "tokenizer.input_ids"));
            GoldenAssert.assertClose("text_encoder.last_hidden_state", out, GoldenFiles.tensor(m, "text_encoder.last_hidden_state"));
            // the U-Net cases take rows 0 and 1 as their text states
            GoldenAssert.assertClose("unet.encoder_hidden_states", out.get("0:2"), GoldenFiles.tensor(m, "unet.encoder_hidden_states"));
            assertEquals(held, weights.getManagedArrays().size(), "temporaries must not land on the weights' manager");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"model.safetensors", "pytorch_model.bin"})
    void stableDiffusionTextEncoderBindsStrictly(String file) throws Exception {
        Path dir = GoldenFiles.dir().resolve("stable-diffusion-2-1-base/text_encoder");
        ClipTextConfig config = ClipTextConfig.read(dir.resolve("config.json"));
        try (NDManager m = Torch.newManager(Device.cpu()); StateDict sd = open(dir.resolve(file))) {
            ClipTextEncoder encoder = VidrdModelLoader.bindTextEncoder(sd, "", config, m, Precision.FP32);
            NDArray out = encoder.forward(GoldenFiles.tensor(m, "tokenizer.input_ids"));
            assertEquals(new Shape(6, 77, 32), out.getShape());
        }
    }

    @Test
    void quickGeluIsSelectedByConfig() {
        ClipTextConfig c = new ClipTextConfig(10, 8, 1, 2, 16, 77, 1e-5f, "quick_gelu");
        assertEquals("quick_gelu", c.hiddenAct());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ClipTextConfig(10, 8, 1, 2, 16, 77, 1e-5f, "relu"));
    }

    static StateDict open(Path file) throws Exception {
        try {
            return Checkpoints.open(file);
        } catch (java.io.IOException e) {
            if (!file.toString().endsWith(".safetensors") && String.valueOf(e.getMessage()).contains("not readable yet")) {
                Assumptions.abort("PyTorch checkpoint reader not available yet: " + e.getMessage());
            }
            throw e;
        }
    }
}
