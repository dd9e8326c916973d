package io.vidrd.vae.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.codec.DecodeOptions;
import io.vidrd.vae.golden.GoldenFiles;
import io.vidrd.vae.model.VaeFiles;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Slicing bounds memory but does not change results; temporal slices keep clips whole.
 *
 * <p>"Equal" is checked to {@value #EQUAL} absolute (outputs lie in [0, 1]), not bitwise: PyTorch's
 * CPU convolution (oneDNN) picks another kernel for a batch of one at small sizes, which moves
 * the last bit of some outputs; batches of two or more agree bitwise. The errors are printed.
 */
class SlicingTest {

    private static final int N = 6;
    private static final double EQUAL = 5e-6;

    private static void assertEqualOutputs(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs((double) expected[i] - actual[i]));
        }
        System.out.printf("[slicing] %-60s max_abs %.3e%n", what, max);
        assertTrue(max <= EQUAL, what + ": max abs difference " + max);
    }

    /** Two different videos of N frames: the golden latents and the golden z scaled back up. */
    private static NDArray twoVideos(NDManager m) {
        NDArray a = GoldenFiles.tensor(m, "input.decode_latents.latents");
        NDArray b = GoldenFiles.tensor(m, "input.vae.decode.z").mul(0.18215f).transpose(1, 0, 2, 3).expandDims(0);
        return NDArrays.concat(new ai.djl.ndarray.NDList(a, b), 0);
    }

    @Test
    void perFrameCodecsGiveTheSameVideoForEverySliceSize() throws Exception {
        for (CodecKind kind : new CodecKind[] {CodecKind.IMAGE, CodecKind.VIDRD}) {
            try (VaeLatentCodec codec = VaeParityTest.open(kind, VaeFiles.SAFETENSORS);
                    NDManager m = Torch.newManager(Device.cpu())) {
                NDArray latents = twoVideos(m);
                float[] whole = codec.decode(latents, DecodeOptions.defaults().withSliceFrames(2 * N)).toFloatArray();
                for (int slice : new int[] {1, 3, N}) {
                    float[] sliced = codec.decode(latents, DecodeOptions.defaults().withSliceFrames(slice)).toFloatArray();
                    assertEqualOutputs(whole, sliced, kind + ", slices of " + slice + " frames");
                }
            }
        }
    }

    @Test
    void temporalSlicesCoverWholeClipsAndGiveTheSameVideo() throws Exception {
        try (VaeLatentCodec codec = VaeParityTest.open(CodecKind.TEMPORAL, VaeFiles.SAFETENSORS);
                NDManager m = Torch.newManager(Device.cpu())) {
            NDArray latents = twoVideos(m);
            for (int clip : new int[] {3, N}) {
                DecodeOptions o = DecodeOptions.defaults().withClipFrames(clip);
                float[] whole = codec.decode(latents, o.withSliceFrames(2 * N)).toFloatArray();
                for (int slice : new int[] {1, 3, N}) {
                    float[] sliced = codec.decode(latents, o.withSliceFrames(slice)).toFloatArray();
                    assertEqualOutputs(whole, sliced, "TEMPORAL, clips of " + clip + ", slices of " + slice + " frames");
                }
            }
        }
    }

    @Test
    void temporalLayersSeeTheFramesOfOneVideoInBatchFrameOrder() throws Exception {
        try (VaeLatentCodec codec = VaeParityTest.open(CodecKind.TEMPORAL, VaeFiles.SAFETENSORS);
                VaeLatentCodec vidrd = VaeParityTest.open(CodecKind.VIDRD, VaeFiles.SAFETENSORS);
                NDManager m = Torch.newManager(Device.cpu())) {
            NDArray latents = twoVideos(m);
            NDArray both = codec.decode(latents, DecodeOptions.defaults());
            for (int b = 0; b < 2; b++) {
                NDArray alone = codec.decode(latents.get(new NDIndex("{}:{}", b, b + 1)), DecodeOptions.defaults());
                assertEqualOutputs(alone.toFloatArray(), both.get(new NDIndex("{}:{}", b, b + 1)).toFloatArray(),
                        "TEMPORAL, video " + b + " alone vs in a batch of 2");
            }
            float[] identity = vidrd.decode(latents, DecodeOptions.defaults()).toFloatArray();
            assertFalse(Arrays.equals(identity, both.toFloatArray()), "the temporal layers change the output");
            // one-frame clips make the temporal layers identities: the temporal codec then equals vidrd
            assertArrayEquals(identity, codec.decode(latents, DecodeOptions.defaults().withClipFrames(1)).toFloatArray(),
                    "with one-frame clips the temporal codec computes exactly what vidrd does");
        }
    }

    @Test
    void rejectsClipsThatDoNotDivideTheVideo() throws Exception {
        try (VaeLatentCodec codec = VaeParityTest.open(CodecKind.TEMPORAL, VaeFiles.SAFETENSORS);
                NDManager m = Torch.newManager(Device.cpu())) {
            NDArray latents = twoVideos(m);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> codec.decode(latents, DecodeOptions.defaults().withClipFrames(4)));
            assertEquals("6 frames cannot be grouped into clips of 4 frames", e.getMessage());
        }
    }

    @Test
    void slicePlanRoundsToWholeClips() {
        FrameSlices s = new FrameSlices(12, 5, 3);
        assertEquals(3, s.size());
        assertEquals(4, s.count());
        FrameSlices one = new FrameSlices(12, 1, 6);
        assertEquals(6, one.size());
        assertEquals(2, one.count());
        FrameSlices tail = new FrameSlices(7, 3, 1);
        assertEquals(3, tail.count());
        assertEquals(6, tail.start(2));
        assertEquals(7, tail.end(2));
    }
}
