package io.vidrd.vae.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vidrd.runtime.ComputeTarget;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.codec.DecodeOptions;
import io.vidrd.runtime.codec.LatentDistribution;
import io.vidrd.vae.golden.GoldenAssert;
import io.vidrd.vae.golden.GoldenFiles;
import io.vidrd.vae.model.VaeFiles;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every golden VAE case through the three codecs, from both weight formats. */
class VaeParityTest {

    static VaeLatentCodec open(CodecKind kind, String weightsName) throws Exception {
        Path dir = kind.vaeFolder(GoldenFiles.dir());
        return VaeLatentCodec.open(kind, VaeFiles.in(dir, weightsName), ComputeTarget.cpu(), 0, "test");
    }

    @ParameterizedTest
    @ValueSource(strings = {VaeFiles.BIN, VaeFiles.SAFETENSORS})
    void matchesEveryGoldenVaeCase(String weightsName) throws Exception {
        try (VaeLatentCodec image = open(CodecKind.IMAGE, weightsName);
                VaeLatentCodec vidrd = open(CodecKind.VIDRD, weightsName);
                VaeLatentCodec temporal = open(CodecKind.TEMPORAL, weightsName);
                NDManager m = Torch.newManager(Device.cpu())) {
            String label = weightsName.endsWith(".bin") ? ".bin" : ".safetensors";
            NDArray z = GoldenFiles.tensor(m, "input.vae.decode.z");
            NDArray x = GoldenFiles.tensor(m, "input.vae.encode.x");
            NDArray latents = GoldenFiles.tensor(m, "input.decode_latents.latents");
            DecodeOptions all = DecodeOptions.defaults();

            GoldenAssert.assertClose(label, "vae_plain.decode.out", image.decodeFrames(z, all),
                    GoldenFiles.tensor(m, "vae_plain.decode.out"));
            GoldenAssert.assertClose(label, "vae_temporal.decode.out_pipeline", vidrd.decodeFrames(z, all),
                    GoldenFiles.tensor(m, "vae_temporal.decode.out_pipeline"));
            GoldenAssert.assertClose(label, "vae_temporal.decode.out_num_frames",
                    temporal.decodeFrames(z, all.withClipFrames(6)),
                    GoldenFiles.tensor(m, "vae_temporal.decode.out_num_frames"));

            LatentDistribution plain = image.encode(x);
            GoldenAssert.assertClose(label, "vae_plain.encode.mean", plain.mean(), GoldenFiles.tensor(m, "vae_plain.encode.mean"));
            GoldenAssert.assertClose(label, "vae_plain.encode.logvar", plain.logvar(),
                    GoldenFiles.tensor(m, "vae_plain.encode.logvar"));
            for (VaeLatentCodec c : new VaeLatentCodec[] {vidrd, temporal}) {
                LatentDistribution d = c.encode(x);
                GoldenAssert.assertClose(label + " " + c.kind(), "vae_temporal.encode.mean", d.mean(),
                        GoldenFiles.tensor(m, "vae_temporal.encode.mean"));
                GoldenAssert.assertClose(label + " " + c.kind(), "vae_temporal.encode.logvar", d.logvar(),
                        GoldenFiles.tensor(m, "vae_temporal.encode.logvar"));
            }

            GoldenAssert.assertClose(label, "decode_latents.video", vidrd.decode(latents, all),
                    GoldenFiles.tensor(m, "decode_latents.video"));
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
