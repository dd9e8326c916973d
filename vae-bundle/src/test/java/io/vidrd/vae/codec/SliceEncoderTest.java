package io.vidrd.vae.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.Torch;
import io.vidrd.vae.golden.GoldenFiles;
import io.vidrd.vae.model.AutoencoderKl;
import io.vidrd.vae.model.VaeFiles;
import io.vidrd.vae.model.VaeLoader;
import org.junit.jupiter.api.Test;

/**
 * The encode path with reduced-precision weights. The device policy allows fp16 on CUDA only, but
 * PyTorch's CPU kernels run fp16 convolutions, so the encoder half of an fp16 codec is checked here
 * directly: fp32 pixels (what callers pass) fed to fp16 weights failed on the GPU with "Input type
 * (float) and bias type (c10::Half) should be the same".
 */
class SliceEncoderTest {

    private static AutoencoderKl load(NDManager m, Precision p) throws Exception {
        return VaeLoader.load(VaeFiles.in(CodecKind.VIDRD.vaeFolder(GoldenFiles.dir())), m, p);
    }

    @Test
    void fp32PixelsThroughFp16WeightsGiveFp32MomentsCloseToFp32() throws Exception {
        try (NDManager m = Torch.newManager(Device.cpu())) {
            NDArray x = GoldenFiles.tensor(m, "input.vae.encode.x");
            NDArray[] half = new SliceEncoder(load(m, Precision.FP16), DataType.FLOAT16).meanAndLogvar(x, Device.cpu());
            NDArray[] full = new SliceEncoder(load(m, Precision.FP32), DataType.FLOAT32).meanAndLogvar(x, Device.cpu());
            for (int i = 0; i < 2; i++) {
                assertEquals(DataType.FLOAT32, half[i].getDataType(), "the API promises fp32 moments");
                assertEquals(full[i].getShape(), half[i].getShape());
                double rel = half[i].sub(full[i]).norm().getFloat() / full[i].norm().getFloat();
                System.out.printf("[fp16 encode] %s rel L2 %.2e%n", i == 0 ? "mean" : "logvar", rel);
                assertTrue(rel < 2e-2, "fp16 vs fp32 relative L2 " + rel);
            }
            assertTrue(half[1].max().getFloat() <= 20f && half[1].min().getFloat() >= -30f, "logvar clamped");
        }
    }
}
