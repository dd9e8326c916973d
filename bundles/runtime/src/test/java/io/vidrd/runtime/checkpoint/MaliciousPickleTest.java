package io.vidrd.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pickles that would run commands if a real unpickler loaded them. The reader must execute
 * nothing, load the globals as inert placeholders, and refuse them where a tensor is required.
 */
class MaliciousPickleTest {

    @TempDir
    Path dir;

    private Path marker;

    @BeforeEach
    void marker() {
        marker = dir.resolve("pwned");
    }

    @AfterEach
    void nothingRan() {
        assertFalse(Files.exists(marker), "a command from the pickle was executed");
    }

    private String touch() {
        return "touch " + marker;
    }

    /** Pushes os.system("touch marker"). */
    private void osSystem(PickleWriter w) {
        w.global("os", "system").str(touch()).tuple1().reduce();
    }

    /** Pushes builtins.eval("__import__('os').system('touch marker')"). */
    private void builtinsEval(PickleWriter w) {
        w.global("builtins", "eval").str("__import__('os').system('" + touch() + "')").tuple1().reduce();
    }

    /** Pushes subprocess.Popen(["touch", marker]). */
    private void popen(PickleWriter w) {
        w.global("subprocess", "Popen").mark().emptyList().mark().str("touch").str(marker.toString()).appends()
                .tuple().reduce();
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    /** {"w": tensor, key: evil} as the top-level state dict. */
    private Path stateDictWith(String key, Consumer<PickleWriter> evil) throws IOException {
        PickleWriter w = new PickleWriter().proto(2);
        w.global("collections", "OrderedDict").emptyTuple().reduce();
        w.mark();
        w.str("w").tensor("FloatStorage", "0", 2);
        w.str(key);
        evil.accept(w);
        w.setItems().stop();
        return new TorchZip("archive").pickle(w.bytes()).byteOrder("little").storage("0", floats(1, 2))
                .write(dir.resolve("evil.pth"));
    }

    @Test
    void osSystemAsTopLevelObjectIsAPlaceholder() throws IOException {
        PickleWriter w = new PickleWriter().proto(2);
        osSystem(w);
        Path file = new TorchZip("archive").pickle(w.stop().bytes()).write(dir.resolve("top.pth"));
        try (PickledCheckpoint ckpt = PyTorchCheckpointReader.open(file)) {
            PickledObject o = assertInstanceOf(PickledObject.class, ckpt.root());
            assertEquals("os.system", o.qualifiedName());
            assertEquals("os", o.global().module());
            assertEquals(List.of(touch()), o.args());
            assertEquals(PickledObject.Call.REDUCE, o.call());
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> PyTorchCheckpointReader.openStateDict(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("os.system"), e.getMessage());
    }

    @Test
    void evalInsideStateDictFailsNamingKeyAndGlobal() throws IOException {
        Path file = stateDictWith("evil", this::builtinsEval);
        try (PickledCheckpoint ckpt = PyTorchCheckpointReader.open(file)) {
            Map<?, ?> root = assertInstanceOf(Map.class, ckpt.root());
            PickledObject o = assertInstanceOf(PickledObject.class, root.get("evil"));
            assertEquals("builtins.eval", o.qualifiedName());
            assertInstanceOf(PickledTensor.class, root.get("w"));
            CheckpointException e = assertThrows(CheckpointException.class, ckpt::stateDict);
            assertTrue(e.getMessage().contains("'evil'") && e.getMessage().contains("builtins.eval"), e.getMessage());
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'evil'") && e.getMessage().contains("builtins.eval"), e.getMessage());
    }

    @Test
    void popenInsideStateDictFailsNamingKeyAndGlobal() throws IOException {
        Path file = stateDictWith("hook", this::popen);
        CheckpointException e = assertThrows(CheckpointException.class, () -> PyTorchCheckpointReader.openStateDict(file));
        assertTrue(e.getMessage().contains("'hook'") && e.getMessage().contains("subprocess.Popen"), e.getMessage());
    }

    @Test
    void osSystemInsideStateDictFailsNamingKeyAndGlobal() throws IOException {
        Path file = stateDictWith("x", this::osSystem);
        CheckpointException e = assertThrows(CheckpointException.class, () -> PyTorchCheckpointReader.openStateDict(file));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("os.system"), e.getMessage());
    }

    @Test
    void maliciousMetadataBesideStateDictLoadsInert() throws IOException {
        PickleWriter w = new PickleWriter().proto(2);
        w.emptyDict().mark();
        w.str("state_dict").global("collections", "OrderedDict").emptyTuple().reduce()
                .mark().str("w").tensor("FloatStorage", "0", 2).setItems();
        w.str("system");
        osSystem(w);
        w.str("eval");
        builtinsEval(w);
        w.str("popen");
        popen(w);
        w.setItems().stop();
        Path file = new TorchZip("ModelT2V").pickle(w.bytes()).storage("0", floats(3, 4)).write(dir.resolve("m.ckpt"));
        try (StateDict sd = PyTorchCheckpointReader.openStateDict(file)) {
            assertEquals(List.of("w"), List.copyOf(sd.keys()));
            ByteBuffer b = sd.get("w").orElseThrow().read();
            assertEquals(3f, b.getFloat(0));
            assertEquals(4f, b.getFloat(4));
        }
        try (PickledCheckpoint ckpt = PyTorchCheckpointReader.open(file)) {
            PickledObject p = (PickledObject) ckpt.get("popen").orElseThrow();
            assertEquals("subprocess.Popen", p.qualifiedName());
            assertEquals(List.of(List.of("touch", marker.toString())), p.args());
            assertEquals("builtins.eval", ((PickledObject) ckpt.get("eval").orElseThrow()).qualifiedName());
            assertEquals("os.system", ((PickledObject) ckpt.get("system").orElseThrow()).qualifiedName());
        }
    }

    @Test
    void otherCallingOpcodesAreInertToo() throws IOException {
        PickleWriter w = new PickleWriter().proto(4);
        w.emptyList().mark();
        // STACK_GLOBAL + REDUCE
        w.stackGlobal("os", "system").str(touch()).tuple1().reduce();
        // INST
        w.mark().str(touch()).inst("os", "system");
        // OBJ
        w.mark().global("os", "system").str(touch()).obj();
        // NEWOBJ, then BUILD with a state that a real unpickler would pass to __setstate__
        w.global("subprocess", "Popen").mark().str("touch").str(marker.toString()).list().tuple1().newObj()
                .mark().str("args").str(touch()).dict().build();
        // builtins.getattr(builtins.__import__("os"), "system")("touch ...")
        w.global("builtins", "getattr").global("builtins", "__import__").str("os").tuple1().reduce()
                .str("system").tuple2().reduce().str(touch()).tuple1().reduce();
        // BUILD on plain values (razorvine would look for __setstate__ by reflection): ignored
        w.str("text").mark().str("k").integer(1).dict().build();
        w.emptyList().global("os", "system").build();
        // SETITEMS / APPENDS on a placeholder are recorded, never call anything
        w.global("collections", "defaultdict").global("os", "system").tuple1().reduce()
                .mark().str("a").integer(1).setItems();
        w.appends().stop();
        Path file = new TorchZip("archive").pickle(w.bytes()).write(dir.resolve("ops.pth"));
        try (PickledCheckpoint ckpt = PyTorchCheckpointReader.open(file)) {
            List<?> items = assertInstanceOf(List.class, ckpt.root());
            assertEquals(8, items.size());
            for (int i = 0; i < 3; i++) {
                PickledObject o = assertInstanceOf(PickledObject.class, items.get(i));
                assertEquals("os.system", o.qualifiedName());
                assertEquals(List.of(touch()), o.args());
            }
            assertEquals(PickledObject.Call.INST, ((PickledObject) items.get(1)).call());
            assertEquals(PickledObject.Call.OBJ, ((PickledObject) items.get(2)).call());
            PickledObject popen = (PickledObject) items.get(3);
            assertEquals(PickledObject.Call.NEWOBJ, popen.call());
            assertTrue(popen.hasState());
            assertEquals(Map.of("args", touch()), popen.state());
            PickledObject call = (PickledObject) items.get(4);
            assertNull(call.global());
            PickledObject getattr = assertInstanceOf(PickledObject.class, call.callee());
            assertEquals("builtins.getattr", getattr.qualifiedName());
            assertTrue(call.qualifiedName().contains("builtins.getattr"), call.qualifiedName());
            assertEquals("text", items.get(5));
            assertEquals(List.of(), items.get(6));
            PickledObject dd = (PickledObject) items.get(7);
            assertEquals(Map.of("a", 1), dd.items());
            assertSame(PickleGlobal.class, dd.args().get(0).getClass());
        }
    }

    @Test
    void aPlaceholderCannotStandInForAStorage() throws IOException {
        PickleWriter w = new PickleWriter().proto(2);
        w.global("torch._utils", "_rebuild_tensor_v2").mark();
        w.mark().str("storage").global("os", "system").str("0").str("cpu").integer(1).tuple().binPersId();
        w.integer(0).intTuple(1).intTuple(1).bool(false).emptyDict().tuple().reduce().stop();
        Path file = new TorchZip("archive").pickle(w.bytes()).storage("0", floats(1)).write(dir.resolve("s.pth"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> PyTorchCheckpointReader.open(file));
        assertTrue(e.getMessage().contains("os.system") && e.getMessage().contains(file.toString()), e.getMessage());
    }
}
