package io.vidrd.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Views with offsets and strides, shared storages, every element type, byte order. */
class StridedTensorTest {

    @TempDir
    Path dir;

    private static float[] floats(ByteBuffer b) {
        float[] f = new float[b.remaining() / 4];
        for (int i = 0; i < f.length; i++) {
            f[i] = b.getFloat(i * 4);
        }
        return f;
    }

    private static short[] shorts(ByteBuffer b) {
        short[] s = new short[b.remaining() / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = b.getShort(i * 2);
        }
        return s;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    @Test
    void viewsOfSharedStorages() throws IOException {
        // storage 0: fp32 [3,4] = 0..11
        ByteBuffer s0 = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 12; i++) {
            s0.putFloat(i);
        }
        // storage 1: fp16 [2,3] raw bit patterns 1..6; storage 2: bf16, 6 values
        ByteBuffer s1 = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer s2 = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            s1.putShort((short) (0x3c00 + i));
            s2.putShort((short) (0x3f80 + i));
        }
        PickleWriter w = new PickleWriter().proto(2);
        w.global("collections", "OrderedDict").emptyTuple().reduce().mark();
        w.str("base").tensor("FloatStorage", "0", 12, 0, new long[] {3, 4}, new long[] {4, 1});
        w.str("transposed").tensor("FloatStorage", "0", 12, 0, new long[] {4, 3}, new long[] {1, 4});
        w.str("slice").tensor("FloatStorage", "0", 12, 5, new long[] {2, 2}, new long[] {4, 1});
        w.str("row").tensor("FloatStorage", "0", 12, 4, new long[] {4}, new long[] {1});
        w.str("column").tensor("FloatStorage", "0", 12, 1, new long[] {3}, new long[] {4});
        w.str("expanded").tensor("FloatStorage", "0", 12, 0, new long[] {2, 3}, new long[] {0, 1});
        w.str("scalar").tensor("FloatStorage", "0", 12, 7, new long[0], new long[0]);
        w.str("empty").tensor("FloatStorage", "0", 12, 0, new long[] {0, 4}, new long[] {4, 1});
        w.str("half_t").tensor("HalfStorage", "1", 6, 0, new long[] {3, 2}, new long[] {1, 3});
        w.str("bf16_slice").tensor("BFloat16Storage", "2", 6, 1, new long[] {4}, new long[] {1});
        w.str("every_other").tensor("BFloat16Storage", "2", 6, 0, new long[] {3}, new long[] {2});
        w.setItems().stop();
        Path file = new TorchZip("archive").pickle(w.bytes()).byteOrder("little")
                .storage("0", s0.array()).storage("1", s1.array()).storage("2", s2.array())
                .write(dir.resolve("views.pth"));
        try (StateDict sd = PyTorchCheckpointReader.openStateDict(file)) {
            Map<String, TensorRecord> t = sd.tensors();
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, floats(t.get("base").read()));
            assertArrayEquals(new long[] {4, 3}, t.get("transposed").shape());
            assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, floats(t.get("transposed").read()));
            assertArrayEquals(new float[] {5, 6, 9, 10}, floats(t.get("slice").read()));
            assertArrayEquals(new float[] {4, 5, 6, 7}, floats(t.get("row").read()));
            assertArrayEquals(new float[] {1, 5, 9}, floats(t.get("column").read()));
            assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2}, floats(t.get("expanded").read()));
            assertArrayEquals(new float[] {7}, floats(t.get("scalar").read()));
            assertEquals(0, t.get("empty").read().remaining());
            assertEquals(TensorType.FLOAT16, t.get("half_t").type());
            assertArrayEquals(new short[] {0x3c00, 0x3c03, 0x3c01, 0x3c04, 0x3c02, 0x3c05}, shorts(t.get("half_t").read()));
            assertEquals(TensorType.BFLOAT16, t.get("bf16_slice").type());
            assertArrayEquals(new short[] {0x3f81, 0x3f82, 0x3f83, 0x3f84}, shorts(t.get("bf16_slice").read()));
            assertArrayEquals(new short[] {0x3f80, 0x3f82, 0x3f84}, shorts(t.get("every_other").read()));

            PickledTensor base = (PickledTensor) t.get("base");
            PickledTensor tr = (PickledTensor) t.get("transposed");
            assertTrue(base.isContiguous());
            assertFalse(tr.isContiguous());
            assertEquals(base.storageKey(), tr.storageKey());
            assertArrayEquals(new long[] {1, 4}, tr.stride());
            assertEquals(5, ((PickledTensor) t.get("slice")).storageOffset());
            assertEquals(12, tr.storageElementCount());
            // re-reading works, buffers are independent
            assertEquals(t.get("transposed").read(), t.get("transposed").read());
        }
    }

    @Test
    void everyElementTypeAndBigEndianStorages() throws IOException {
        String[] storages = {"FloatStorage", "HalfStorage", "BFloat16Storage", "DoubleStorage", "LongStorage",
            "IntStorage", "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage"};
        TensorType[] types = {TensorType.FLOAT32, TensorType.FLOAT16, TensorType.BFLOAT16, TensorType.FLOAT64,
            TensorType.INT64, TensorType.INT32, TensorType.INT16, TensorType.INT8, TensorType.UINT8, TensorType.BOOL};
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            PickleWriter w = new PickleWriter().proto(2);
            w.emptyDict().mark();
            TorchZip zip = new TorchZip("archive").byteOrder(order == ByteOrder.BIG_ENDIAN ? "big" : "little");
            Random r = new Random(42);
            byte[][] expected = new byte[storages.length][];
            for (int i = 0; i < storages.length; i++) {
                int es = types[i].byteSize();
                // a [2,3] storage, read transposed as [3,2]
                byte[] le = new byte[6 * es];
                r.nextBytes(le);
                if (types[i] == TensorType.BOOL) {
                    for (int k = 0; k < le.length; k++) {
                        le[k] = (byte) (le[k] & 1);
                    }
                }
                byte[] stored = le.clone();
                if (order == ByteOrder.BIG_ENDIAN) {
                    for (int e = 0; e < 6; e++) {
                        for (int k = 0; k < es; k++) {
                            stored[e * es + k] = le[e * es + es - 1 - k];
                        }
                    }
                }
                expected[i] = new byte[6 * es];
                int[] order32 = {0, 3, 1, 4, 2, 5};
                for (int e = 0; e < 6; e++) {
                    System.arraycopy(le, order32[e] * es, expected[i], e * es, es);
                }
                w.str("t" + i).tensor(storages[i], "s" + i, 6, 0, new long[] {3, 2}, new long[] {1, 3});
                zip.storage("s" + i, stored);
            }
            w.setItems().stop();
            Path file = zip.pickle(w.bytes()).write(dir.resolve("types-" + order + ".pth"));
            try (PickledCheckpoint ckpt = PyTorchCheckpointReader.open(file)) {
                assertSame(order, ckpt.byteOrder());
                StateDict sd = ckpt.stateDict();
                for (int i = 0; i < storages.length; i++) {
                    TensorRecord t = sd.get("t" + i).orElseThrow();
                    assertEquals(types[i], t.type(), storages[i]);
                    ByteBuffer b = t.read();
                    assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
                    assertArrayEquals(expected[i], bytes(b), storages[i] + " " + order);
                }
            }
        }
    }

    /** The windowed gather gives the same result as a naive one, whatever the window size. */
    @Test
    void gatherMatchesNaiveIndexing() throws IOException {
        Random r = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int nd = r.nextInt(4);
            long[] size = new long[nd];
            long[] stride = new long[nd];
            long span = 1;
            for (int d = 0; d < nd; d++) {
                size[d] = 1 + r.nextInt(4);
            }
            // random permutation-ish strides, sometimes zero, sometimes padded
            long acc = 1 + r.nextInt(2);
            for (int d = nd - 1; d >= 0; d--) {
                stride[d] = r.nextInt(6) == 0 ? 0 : acc;
                acc *= size[d] + r.nextInt(2);
            }
            if (nd > 1 && r.nextBoolean()) {
                int a = r.nextInt(nd);
                int b = r.nextInt(nd);
                long ts = stride[a]; stride[a] = stride[b]; stride[b] = ts;
                long tz = size[a]; size[a] = size[b]; size[b] = tz;
            }
            for (int d = 0; d < nd; d++) {
                span += (size[d] - 1) * stride[d];
            }
            long offset = r.nextInt(5);
            int es = new int[] {1, 2, 4, 8}[r.nextInt(4)];
            byte[] storage = new byte[(int) ((offset + span) * es)];
            r.nextBytes(storage);
            long n = 1;
            for (long s : size) {
                n *= s;
            }
            byte[] expected = new byte[(int) (n * es)];
            long[] idx = new long[nd];
            for (int o = 0; o < n; o++) {
                long src = offset;
                for (int d = 0; d < nd; d++) {
                    src += idx[d] * stride[d];
                }
                System.arraycopy(storage, (int) (src * es), expected, o * es, es);
                for (int d = nd - 1; d >= 0; d--) {
                    if (++idx[d] < size[d]) {
                        break;
                    }
                    idx[d] = 0;
                }
            }
            for (long window : new long[] {1, 2, 3, 5, 1 << 20}) {
                ByteBuffer out = ByteBuffer.allocate((int) (n * es));
                PickledTensor.gather((from, dst, len) -> System.arraycopy(storage, (int) (from * es), dst, 0, len),
                        offset, size, stride, es, out, window);
                assertArrayEquals(expected, out.array(), "trial " + trial + " window " + window);
            }
        }
    }

    @Test
    void readingAfterCloseFailsClearly() throws IOException {
        PickleWriter w = new PickleWriter().proto(2);
        w.emptyDict().mark().str("w").tensor("FloatStorage", "0", 2).setItems().stop();
        Path file = new TorchZip("archive").pickle(w.bytes()).storage("0", new byte[8]).write(dir.resolve("c.pth"));
        StateDict sd = PyTorchCheckpointReader.openStateDict(file);
        TensorRecord t = sd.get("w").orElseThrow();
        assertEquals(8, t.read().remaining());
        sd.close();
        sd.close();
        CheckpointException e = assertThrows(CheckpointException.class, t::read);
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void viewsOutsideTheirStorageAreRefused() throws IOException {
        PickleWriter w = new PickleWriter().proto(2);
        w.emptyDict().mark().str("w").tensor("FloatStorage", "0", 4, 2, new long[] {2, 2}, new long[] {2, 1})
                .setItems().stop();
        Path file = new TorchZip("archive").pickle(w.bytes()).storage("0", new byte[16]).write(dir.resolve("oob.pth"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> PyTorchCheckpointReader.open(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("data/0"), e.getMessage());

        PickleWriter w2 = new PickleWriter().proto(2);
        w2.emptyDict().mark().str("w").tensor("FloatStorage", "0", 8).setItems().stop();
        Path small = new TorchZip("archive").pickle(w2.bytes()).storage("0", new byte[16]).write(dir.resolve("small.pth"));
        e = assertThrows(CheckpointException.class, () -> PyTorchCheckpointReader.open(small));
        assertTrue(e.getMessage().contains("data/0") && e.getMessage().contains("16 bytes"), e.getMessage());

        Path missing = new TorchZip("archive").pickle(w2.bytes()).write(dir.resolve("missing.pth"));
        e = assertThrows(CheckpointException.class, () -> PyTorchCheckpointReader.open(missing));
        assertTrue(e.getMessage().contains("archive/data/0") && e.getMessage().contains("missing"), e.getMessage());
    }
}
