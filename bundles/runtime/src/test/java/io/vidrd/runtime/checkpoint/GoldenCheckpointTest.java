package io.vidrd.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The golden PyTorch files hold exactly the tensors of their safetensors copies. */
class GoldenCheckpointTest {

    @ParameterizedTest
    @CsvSource({
        "ModelT2V.pth, ModelT2V.safetensors",
        "stable-diffusion-2-1-base/text_encoder/pytorch_model.bin, stable-diffusion-2-1-base/text_encoder/model.safetensors",
        "stable-diffusion-2-1-base/vae/diffusion_pytorch_model.bin, stable-diffusion-2-1-base/vae/diffusion_pytorch_model.safetensors",
        "vae_finetuned/diffusion_pytorch_model.bin, vae_finetuned/diffusion_pytorch_model.safetensors",
    })
    void pytorchFileEqualsSafetensorsCopy(String pth, String safetensors) throws IOException {
        try (StateDict torch = PyTorchCheckpointReader.openStateDict(Golden.file(pth));
                StateDict safe = SafetensorsReader.open(Golden.file(safetensors))) {
            assertFalse(torch.keys().isEmpty());
            assertEquals(safe.keys(), torch.keys(), "key sets of " + pth);
            for (String key : safe.keys()) {
                TensorRecord a = torch.get(key).orElseThrow();
                TensorRecord b = safe.get(key).orElseThrow();
                assertEquals(key, a.key());
                assertEquals(b.type(), a.type(), key);
                assertArrayEquals(b.shape(), a.shape(), key);
                ByteBuffer ba = a.read();
                ByteBuffer bb = b.read();
                assertEquals(ByteOrder.LITTLE_ENDIAN, ba.order());
                assertEquals(0, ba.position());
                assertEquals(a.elementCount() * a.type().byteSize(), ba.remaining(), key);
                assertEquals(bb, ba, "values of " + key);
            }
        }
    }

    @Test
    void checkpointsOpenDispatchesByContent() throws IOException {
        try (StateDict sd = Checkpoints.open(Golden.file("ModelT2V.pth"))) {
            assertTrue(sd.keys().stream().anyMatch(k -> k.startsWith("unet.")));
            assertTrue(sd.keys().stream().anyMatch(k -> k.startsWith("text_encoder.")));
        }
        try (StateDict sd = Checkpoints.open(Golden.file("ModelT2V.safetensors"))) {
            assertFalse(sd.keys().isEmpty());
        }
    }

    @Test
    void modelT2vMetadata() throws IOException {
        try (PickledCheckpoint ckpt = PyTorchCheckpointReader.open(Golden.file("ModelT2V.pth"))) {
            assertEquals("ModelT2V", ckpt.archiveName());
            assertEquals(ByteOrder.LITTLE_ENDIAN, ckpt.byteOrder());
            Map<?, ?> root = assertInstanceOf(Map.class, ckpt.root());
            assertEquals(List.of("epoch", "global_step", "pytorch-lightning_version", "state_dict"),
                    new ArrayList<>(root.keySet()));
            assertEquals(0, ((Number) root.get("epoch")).intValue());
            assertEquals(0, ((Number) root.get("global_step")).intValue());
            assertEquals("1.9.5", root.get("pytorch-lightning_version"));
            StateDict sd = ckpt.stateDict("state_dict");
            StateDict same = ckpt.stateDict();
            assertEquals(sd.keys(), same.keys());
            assertTrue(sd.keys().size() > 100);
            // text_encoder position ids are int64
            TensorRecord ids = sd.get("text_encoder.text_model.embeddings.position_ids").orElseThrow();
            assertEquals(TensorType.INT64, ids.type());
            assertArrayEquals(new long[] {1, 77}, ids.shape());
            ByteBuffer b = ids.read();
            for (int i = 0; i < 77; i++) {
                assertEquals(i, b.getLong(i * 8));
            }
        }
    }

    @Test
    void unetWithoutSafetensorsCopyReads() throws IOException {
        Path unet = Golden.file("stable-diffusion-2-1-base/unet/diffusion_pytorch_model.bin");
        try (StateDict sd = PyTorchCheckpointReader.openStateDict(unet)) {
            assertTrue(sd.keys().size() > 100, "unet keys: " + sd.keys().size());
            assertTrue(sd.keys().contains("conv_in.weight"));
            for (TensorRecord t : sd.tensors().values()) {
                assertEquals(TensorType.FLOAT32, t.type(), t.key());
                ByteBuffer b = t.read();
                assertEquals(t.elementCount() * 4, b.remaining(), t.key());
                for (int i = 0; i < b.remaining(); i += 4) {
                    assertTrue(Float.isFinite(b.getFloat(i)), t.key());
                }
            }
        }
    }
}
