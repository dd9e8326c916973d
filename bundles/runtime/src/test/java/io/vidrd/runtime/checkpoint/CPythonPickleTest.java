package io.vidrd.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints whose data.pkl was written by CPython's own pickler (protocols 2, 4, 5), see
 * {@code src/test/resources/io/vidrd/runtime/checkpoint/make_cpython_fixtures.py}.
 */
class CPythonPickleTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 5})
    void readsCPythonPickles(int protocol) throws IOException {
        String name = "cpython-proto" + protocol + ".pth";
        Path file = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream(name)) {
            Files.copy(in, file);
        }
        try (PickledCheckpoint ckpt = PyTorchCheckpointReader.open(file)) {
            StateDict sd = ckpt.stateDict();
            assertEquals(List.of("a", "a_t", "h"), List.copyOf(sd.keys()));
            ByteBuffer a = sd.get("a").orElseThrow().read();
            for (int i = 0; i < 12; i++) {
                assertEquals(i, a.getFloat(i * 4));
            }
            // offset 1, size (4, 2), stride (1, 4): element [i][j] = 1 + i + 4 j
            ByteBuffer at = sd.get("a_t").orElseThrow().read();
            float[] expected = {1, 5, 2, 6, 3, 7, 4, 8};
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], at.getFloat(i * 4));
            }
            assertEquals(TensorType.FLOAT16, sd.get("h").orElseThrow().type());
            assertEquals((short) 0x3c00, sd.get("h").orElseThrow().read().getShort(0));

            PickledObject ns = assertInstanceOf(PickledObject.class, ckpt.get("hparams").orElseThrow());
            assertEquals("argparse.Namespace", ns.qualifiedName());
            Map<?, ?> state = assertInstanceOf(Map.class, ns.state());
            assertEquals(0.1, state.get("lr"));
            PickledObject path = assertInstanceOf(PickledObject.class, state.get("out"));
            assertEquals("pathlib.PurePosixPath", path.qualifiedName());
            assertEquals(List.of("/", "x", "y"), path.args());

            assertEquals(Set.of(1, 2), ckpt.get("set").orElseThrow());
            assertEquals(Set.of(3), ckpt.get("frozen").orElseThrow());
            assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) ckpt.get("bytes").orElseThrow());
            assertArrayEquals(new byte[] {'a', 'b'}, (byte[]) ckpt.get("bytearray").orElseThrow());
            assertEquals(BigInteger.ONE.shiftLeft(70), ckpt.get("big").orElseThrow());
            assertEquals(1.5, ckpt.get("float").orElseThrow());
            List<?> nested = assertInstanceOf(List.class, ckpt.get("nested").orElseThrow());
            assertArrayEquals(new Object[] {1, 2}, (Object[]) nested.get(0));
            Map<?, ?> inner = assertInstanceOf(Map.class, nested.get(1));
            assertNull(inner.get("x"));
        }
    }
}
