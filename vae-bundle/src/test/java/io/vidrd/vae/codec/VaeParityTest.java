package io.vidrd.vae.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vidrd.runtime.ComputeTarget;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.codec.DecodeOptions;
import io.vidrd.runtime.golden.CaseResult;
import io.vidrd.vae.golden.GoldenFiles;
import io.vidrd.vae.golden.VaeGoldenRunner;
import io.vidrd.vae.model.VaeFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every golden VAE case through the three codecs, from both weight formats, via the golden runner. */
class VaeParityTest {

    static VaeLatentCodec open(CodecKind kind, String weightsName) throws Exception {
        Path dir = kind.vaeFolder(GoldenFiles.dir());
        return VaeLatentCodec.open(kind, VaeFiles.in(dir, weightsName), ComputeTarget.cpu(), 0, "test");
    }

    @ParameterizedTest
    @ValueSource(strings = {VaeFiles.BIN, VaeFiles.SAFETENSORS})
    void matchesEveryGoldenVaeCase(String weightsName) throws Exception {
        // the same runner as vidrd verify-golden: every VAE case of golden.json, every output
        try (VaeGoldenRunner runner = VaeGoldenRunner.open(GoldenFiles.dir(), ComputeTarget.cpu(), weightsName)) {
            assertEquals(List.of("vae_temporal.decode", "vae_plain.decode", "vae.encode", "decode_latents"),
                    runner.vaeCases());
            List<CaseResult> results = runner.runAll();
            Map<String, Integer> checks = new LinkedHashMap<>();
            for (CaseResult r : results) {
                r.tensors().forEach(t -> System.out.println("[golden] " + r.name() + " " + t));
                checks.put(r.name(), r.tensors().size());
                assertTrue(r.failures().isEmpty(), () -> r.name() + " failed: " + r.failures());
            }
            String f = weightsName.endsWith(".bin") ? " [bin]" : " [safetensors]";
            // out_pipeline and out_num_frames; out; mean and logvar of the plain VAE, of the fine-tuned
            // one through the vidrd and the temporal codec; video
            assertEquals(Map.of("vae_temporal.decode" + f, 2, "vae_plain.decode" + f, 1, "vae.encode" + f, 6,
                    "decode_latents" + f, 1), checks);
        }
    }

    @Test
    void theTemporalPathIsTheOneChecked() throws Exception {
        // out_num_frames must differ from out_pipeline, or the temporal case would pass by accident
        try (VaeGoldenRunner runner = VaeGoldenRunner.open(GoldenFiles.dir(), ComputeTarget.cpu(), null);
                NDManager m = Torch.newManager(Device.cpu())) {
            NDArray a = GoldenFiles.tensor(m, "vae_temporal.decode.out_num_frames");
            NDArray b = GoldenFiles.tensor(m, "vae_temporal.decode.out_pipeline");
            assertTrue(a.sub(b).abs().max().getFloat() > 1e-2f);
            assertTrue(runner.run("vae_temporal.decode").passed());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"image", "vidrd", "temporal"})
    void leavesOnlyTheResultOnTheCallersManager(String kindId) throws Exception {
        CodecKind kind = CodecKind.valueOf(kindId.toUpperCase(java.util.Locale.ROOT));
        try (VaeLatentCodec codec = open(kind, VaeFiles.SAFETENSORS); NDManager m = Torch.newManager(Device.cpu())) {
            try (NDManager call = m.newSubManager()) {
                NDArray latents = GoldenFiles.tensor(call, "input.decode_latents.latents");
                int before = call.getManagedArrays().size();
                NDArray video = codec.decode(latents, DecodeOptions.defaults().withSliceFrames(2));
                assertEquals(before + 1, call.getManagedArrays().size(), "decode leaves exactly its result");
                assertEquals(call, video.getManager());
                NDArray x = GoldenFiles.tensor(call, "input.vae.encode.x");
                before = call.getManagedArrays().size();
                codec.encode(x);
                assertEquals(before + 2, call.getManagedArrays().size(), "encode leaves exactly mean and logvar");
            }
        }
    }
}
