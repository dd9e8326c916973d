package io.vidrd.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's files read back through {@link SafetensorsReader} with the same tensors, aligned. */
class SafetensorsWriterTest {

    @TempDir
    Path dir;

    private static SafetensorsWriter sample() {
        return new SafetensorsWriter()
                .putHalf("half", new long[] {3}, new short[] {0x3c00, (short) 0xc000, 0x7bff})
                .putFloats("floats", new long[] {2, 3}, new float[] {1f, -2.5f, 3e-8f, Float.NaN, 0f, -0f})
                .putBFloat16("bf16", new long[] {1, 1}, new short[] {0x3f80})
                .putLongs("ids", new long[] {2}, new long[] {Long.MIN_VALUE, 49407})
                .putZeros("scalar")
                .put("bytes", TensorType.UINT8, new long[] {5}, ByteBuffer.wrap(new byte[] {1, 2, 3, 4, (byte) 255}));
    }

    private static byte[] bytes(TensorRecord r) throws IOException {
        ByteBuffer b = r.read();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void roundTripsThroughTheReader() throws IOException {
        Path file = sample().write(dir.resolve("sub/model.safetensors"));
        try (StateDict d = SafetensorsReader.open(file)) {
            // laid out by decreasing element size, insertion order kept among equal sizes
            assertEquals(List.of("ids", "floats", "scalar", "half", "bf16", "bytes"), List.copyOf(d.keys()));

            TensorRecord floats = d.get("floats").orElseThrow();
            assertEquals(TensorType.FLOAT32, floats.type());
            assertArrayEquals(new long[] {2, 3}, floats.shape());
            float[] f = new float[6];
            floats.read().asFloatBuffer().get(f);
            assertArrayEquals(new float[] {1f, -2.5f, 3e-8f, Float.NaN, 0f, -0f}, f);
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(f[5]));

            TensorRecord half = d.get("half").orElseThrow();
            assertEquals(TensorType.FLOAT16, half.type());
            short[] h = new short[3];
            half.read().asShortBuffer().get(h);
            assertArrayEquals(new short[] {0x3c00, (short) 0xc000, 0x7bff}, h);

            TensorRecord bf16 = d.get("bf16").orElseThrow();
            assertEquals(TensorType.BFLOAT16, bf16.type());
            assertArrayEquals(new long[] {1, 1}, bf16.shape());
            assertEquals(0x3f80, bf16.read().getShort());

            TensorRecord ids = d.get("ids").orElseThrow();
            assertEquals(TensorType.INT64, ids.type());
            assertEquals(Long.MIN_VALUE, ids.read().getLong(0));
            assertEquals(49407, ids.read().getLong(8));

            TensorRecord scalar = d.get("scalar").orElseThrow();
            assertArrayEquals(new long[0], scalar.shape());
            assertArrayEquals(new byte[4], bytes(scalar));

            assertArrayEquals(new byte[] {1, 2, 3, 4, (byte) 255}, bytes(d.get("bytes").orElseThrow()));
        }
    }

    @Test
    void floatsAreNarrowedToTheRequestedType() throws IOException {
        float[] values = {1f, -2f, 65504f, 1f + 0x1p-8f, 1e-30f};
        Path file = new SafetensorsWriter()
                .putFloats("f32", TensorType.FLOAT32, new long[] {5}, values)
                .putFloats("f16", TensorType.FLOAT16, new long[] {5}, values)
                .putFloats("bf16", TensorType.BFLOAT16, new long[] {5}, values)
                .write(dir.resolve("narrowed.safetensors"));
        try (StateDict d = SafetensorsReader.open(file)) {
            float[] f = new float[5];
            d.get("f32").orElseThrow().read().asFloatBuffer().get(f);
            assertArrayEquals(values, f);
            short[] h = new short[5];
            TensorRecord half = d.get("f16").orElseThrow();
            assertEquals(TensorType.FLOAT16, half.type());
            half.read().asShortBuffer().get(h);
            short[] b = new short[5];
            TensorRecord bf16 = d.get("bf16").orElseThrow();
            assertEquals(TensorType.BFLOAT16, bf16.type());
            bf16.read().asShortBuffer().get(b);
            for (int i = 0; i < values.length; i++) {
                assertEquals(HalfFloat.fromFloat(values[i]), h[i], "fp16 of " + values[i]);
                assertEquals(BFloat16.fromFloat(values[i]), b[i], "bf16 of " + values[i]);
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> new SafetensorsWriter().putFloats("x", TensorType.INT64, new long[] {1}, new float[] {1f}));
    }

    @Test
    void headerIsStandardAndDataAligned() throws IOException {
        Path file = sample().putMetadata("epoch", "3").write(dir.resolve("model.safetensors"));
        byte[] all = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8, "data start is 8-byte aligned");
        String text = new String(all, 8, (int) headerLength, StandardCharsets.UTF_8);
        String json = text.stripTrailing();
        assertTrue(json.startsWith("{") && json.endsWith("}"), text);
        assertTrue(text.substring(json.length()).chars().allMatch(c -> c == ' '), "header padded with spaces only");
        JsonObject header = JsonParser.parseString(text).getAsJsonObject();
        JsonObject meta = header.getAsJsonObject("__metadata__");
        assertEquals(2, meta.size());
        assertEquals("pt", meta.get("format").getAsString());
        assertEquals("3", meta.get("epoch").getAsString());
        assertEquals("F32", header.getAsJsonObject("floats").get("dtype").getAsString());
        assertEquals("F16", header.getAsJsonObject("half").get("dtype").getAsString());
        assertEquals("BF16", header.getAsJsonObject("bf16").get("dtype").getAsString());
        assertEquals("I64", header.getAsJsonObject("ids").get("dtype").getAsString());
        assertEquals("U8", header.getAsJsonObject("bytes").get("dtype").getAsString());
        long end = 0;
        for (String key : List.of("ids", "floats", "scalar", "half", "bf16", "bytes")) {
            JsonObject t = header.getAsJsonObject(key);
            JsonArray offsets = t.getAsJsonArray("data_offsets");
            long begin = offsets.get(0).getAsLong();
            assertEquals(end, begin, key + " follows the previous tensor with no hole");
            int size = switch (t.get("dtype").getAsString()) {
                case "I64" -> 8;
                case "F32" -> 4;
                case "F16", "BF16" -> 2;
                default -> 1;
            };
            assertEquals(0, (8 + headerLength + begin) % size, key + " is aligned to its element size");
            end = offsets.get(1).getAsLong();
        }
        assertEquals(all.length, 8 + headerLength + end, "nothing after the last tensor");
    }

    @Test
    void copyOfEditsAndReplacesAtomically() throws IOException {
        Path original = sample().write(dir.resolve("a.safetensors"));
        Path copy = dir.resolve("b.safetensors");
        Files.writeString(copy, "an older file");
        try (StateDict d = SafetensorsReader.open(original)) {
            SafetensorsWriter w = SafetensorsWriter.copyOf(d).remove("half").removePrefix("f").putZeros("z", 2, 2);
            assertEquals(List.of("ids", "scalar", "bf16", "bytes", "z"), List.copyOf(w.keys()));
            w.write(copy);
            try (StateDict c = SafetensorsReader.open(copy)) {
                assertEquals(List.of("ids", "scalar", "z", "bf16", "bytes"), List.copyOf(c.keys()));
                for (String k : List.of("ids", "scalar", "bf16", "bytes")) {
                    assertArrayEquals(bytes(d.get(k).orElseThrow()), bytes(c.get(k).orElseThrow()), k);
                    assertArrayEquals(d.get(k).orElseThrow().shape(), c.get(k).orElseThrow().shape(), k);
                }
                assertArrayEquals(new byte[16], bytes(c.get("z").orElseThrow()));
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("a.safetensors", "b.safetensors"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file is left behind");
        }
    }

    @Test
    void badInputIsRejected() throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        assertThrows(IllegalArgumentException.class, () -> w.remove("missing"));
        assertThrows(IllegalArgumentException.class, () -> w.putFloats("f", new long[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> w.putZeros("__metadata__", 1));
        assertThrows(IllegalArgumentException.class, () -> w.putZeros("neg", 2, -1));
        assertTrue(w.keys().isEmpty());
        Path target = dir.resolve("dir-not-file");
        Files.createDirectories(target.resolve("child"));
        assertThrows(IOException.class, () -> w.write(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary file removed");
        }
    }
}
