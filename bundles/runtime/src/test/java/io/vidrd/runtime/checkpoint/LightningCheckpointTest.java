package io.vidrd.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PyTorch Lightning style checkpoint: a state dict beside hyper-parameters, optimizer states and
 * other metadata objects that must load (as placeholders) without being executed.
 */
class LightningCheckpointTest {

    @TempDir
    Path dir;

    static byte[] le(int bytesPer, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * bytesPer).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (bytesPer) {
                case 8: b.putLong(v); break;
                case 4: b.putInt((int) v); break;
                case 2: b.putShort((short) v); break;
                default: b.put((byte) v);
            }
        }
        return b.array();
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private Path lightning(boolean deflate) throws IOException {
        PickleWriter w = new PickleWriter().proto(2);
        w.emptyDict().put(0).mark();
        w.str("epoch").integer(7);
        w.str("global_step").integer(70000);
        w.str("pytorch-lightning_version").str("1.9.5");
        // state_dict: OrderedDict of parameters and buffers, the OrderedDict global memoized like torch does
        w.str("state_dict").global("collections", "OrderedDict").put(1).emptyTuple().reduce().mark();
        w.str("model.weight").parameter("FloatStorage", "0", 2, 3);
        w.str("model.bias").tensor("HalfStorage", "1", 3);
        w.str("model.steps").tensor("LongStorage", "2", 2);
        w.str("model.flag").tensor("BoolStorage", "5", 1);
        w.setItems();
        // hyper_parameters: pathlib + argparse.Namespace (NEWOBJ + BUILD) + nested containers
        w.str("hyper_parameters").emptyDict().mark();
        w.str("out_dir").global("pathlib", "PosixPath").str("/tmp").str("runs").tuple2().reduce();
        w.str("args").global("argparse", "Namespace").emptyTuple().newObj()
                .emptyDict().mark().str("lr").floatValue(1e-4).str("layers")
                .mark().integer(1).integer(2).intTuple(3, 4).list().setItems().build();
        w.str("config").global("omegaconf.dictconfig", "DictConfig").mark().str("a").integer(1).dict().tuple1().reduce();
        w.str("dtype").global("torch", "float16");
        w.str("tags").global("builtins", "set").mark().str("x").str("y").list().tuple1().reduce();
        w.str("blob").global("_codecs", "encode").str("\u00ff\u0001").str("latin1").tuple2().reduce();
        w.str("big").integer(1L << 40);
        w.str("none").none();
        w.setItems();
        // optimizer states hold tensors too
        w.str("optimizer_states").emptyList().mark().emptyDict().mark()
                .str("state").emptyDict().mark().integer(0).emptyDict().mark()
                .str("step").tensor("FloatStorage", "3", 1, 0, new long[0], new long[0])
                .str("exp_avg").tensor("FloatStorage", "4", 2, 3).setItems().setItems()
                .str("param_groups").emptyList().mark().emptyDict().mark().str("lr").floatValue(1e-4)
                .str("params").mark().integer(0).integer(1).list().setItems().appends()
                .setItems().appends();
        w.str("callbacks").emptyDict().mark().str("ModelCheckpoint{'monitor': None}")
                .global("collections", "OrderedDict").emptyTuple().reduce().setItems();
        w.str("loops").none();
        w.setItems().stop();

        TorchZip zip = new TorchZip("archive").pickle(w.bytes()).byteOrder("little")
                .storage("0", floats(1, 2, 3, 4, 5, 6))
                .storage("1", le(2, 0x3c00, 0x4000, 0xc000))
                .storage("2", le(8, 5, -6))
                .storage("3", floats(10))
                .storage("4", floats(0.5f, 0.25f, 0.125f, -1, -2, -3))
                .storage("5", new byte[] {1});
        if (deflate) {
            zip.deflate();
        }
        return zip.write(dir.resolve(deflate ? "deflated.ckpt" : "lightning.ckpt"));
    }

    @Test
    void stateDictLoadsBesideMetadata() throws IOException {
        for (boolean deflate : new boolean[] {false, true}) {
            Path file = lightning(deflate);
            try (StateDict sd = PyTorchCheckpointReader.openStateDict(file)) {
                assertEquals(file, sd.source());
                assertEquals(List.of("model.weight", "model.bias", "model.steps", "model.flag"), List.copyOf(sd.keys()));
                TensorRecord w = sd.get("model.weight").orElseThrow();
                assertEquals(TensorType.FLOAT32, w.type());
                assertArrayEquals(new long[] {2, 3}, w.shape());
                assertEquals(ByteBuffer.wrap(floats(1, 2, 3, 4, 5, 6)), w.read());
                assertTrue(((PickledTensor) w).requiresGrad());
                TensorRecord b = sd.get("model.bias").orElseThrow();
                assertEquals(TensorType.FLOAT16, b.type());
                assertEquals(ByteBuffer.wrap(le(2, 0x3c00, 0x4000, 0xc000)), b.read());
                TensorRecord s = sd.get("model.steps").orElseThrow();
                assertEquals(TensorType.INT64, s.type());
                assertEquals(-6L, s.read().getLong(8));
                assertEquals(TensorType.BOOL, sd.get("model.flag").orElseThrow().type());
                assertEquals(1, sd.get("model.flag").orElseThrow().read().get(0));
            }
        }
    }

    @Test
    void metadataIsInspectable() throws IOException {
        Path file = lightning(false);
        try (PickledCheckpoint ckpt = PyTorchCheckpointReader.open(file)) {
            assertEquals("archive", ckpt.archiveName());
            assertEquals(7, ckpt.get("epoch").orElseThrow());
            assertEquals(70000, ckpt.get("global_step").orElseThrow());
            Map<?, ?> hp = assertInstanceOf(Map.class, ckpt.get("hyper_parameters").orElseThrow());
            PickledObject path = assertInstanceOf(PickledObject.class, hp.get("out_dir"));
            assertEquals("pathlib.PosixPath", path.qualifiedName());
            assertEquals(List.of("/tmp", "runs"), path.args());
            PickledObject ns = assertInstanceOf(PickledObject.class, hp.get("args"));
            assertEquals("argparse.Namespace", ns.qualifiedName());
            assertEquals(PickledObject.Call.NEWOBJ, ns.call());
            Map<?, ?> state = assertInstanceOf(Map.class, ns.state());
            assertEquals(1e-4, state.get("lr"));
            List<?> layers = assertInstanceOf(List.class, state.get("layers"));
            assertEquals(1, layers.get(0));
            assertArrayEquals(new Object[] {3, 4}, (Object[]) layers.get(2));
            PickledObject cfg = assertInstanceOf(PickledObject.class, hp.get("config"));
            assertEquals("omegaconf.dictconfig.DictConfig", cfg.qualifiedName());
            assertEquals(List.of(Map.of("a", 1)), cfg.args());
            PickleGlobal dtype = assertInstanceOf(PickleGlobal.class, hp.get("dtype"));
            assertEquals("torch.float16", dtype.qualifiedName());
            assertEquals(Set.of("x", "y"), hp.get("tags"));
            assertArrayEquals(new byte[] {(byte) 0xff, 1}, (byte[]) hp.get("blob"));
            assertEquals(1L << 40, ((Number) hp.get("big")).longValue());
            assertNull(hp.get("none"));

            List<?> opt = assertInstanceOf(List.class, ckpt.get("optimizer_states").orElseThrow());
            Map<?, ?> optState = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) opt.get(0)).get("state")).get(0);
            PickledTensor step = assertInstanceOf(PickledTensor.class, optState.get("step"));
            assertArrayEquals(new long[0], step.shape());
            assertEquals(1, step.elementCount());
            assertEquals(10f, step.read().getFloat(0));
            PickledTensor avg = assertInstanceOf(PickledTensor.class, optState.get("exp_avg"));
            assertEquals("", avg.key());
            assertEquals("4", avg.storageKey());
            assertEquals(ByteBuffer.wrap(floats(0.5f, 0.25f, 0.125f, -1, -2, -3)), avg.read());

            // the optimizer state is not a state dict: it is keyed by ints
            CheckpointException e = assertThrows(CheckpointException.class, () -> ckpt.stateDict("optimizer_states"));
            assertTrue(e.getMessage().contains("optimizer_states"), e.getMessage());
            e = assertThrows(CheckpointException.class, () -> ckpt.stateDict("hyper_parameters"));
            assertTrue(e.getMessage().contains("'out_dir'") && e.getMessage().contains("pathlib.PosixPath"),
                    e.getMessage());
            e = assertThrows(CheckpointException.class, () -> ckpt.stateDict("nope"));
            assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        }
    }

    @Test
    void plainDictWithoutStateDictEntryIsTheStateDict() throws IOException {
        PickleWriter w = new PickleWriter().proto(2);
        w.emptyDict().mark().str("b").tensor("FloatStorage", "0", 1).str("a").tensor("FloatStorage", "1", 1)
                .setItems().stop();
        Path file = new TorchZip("some_name").pickle(w.bytes())
                .storage("0", floats(1)).storage("1", floats(2)).write(dir.resolve("plain.bin"));
        try (StateDict sd = PyTorchCheckpointReader.openStateDict(file)) {
            assertEquals(List.of("b", "a"), List.copyOf(sd.keys()));
            assertEquals(2f, sd.get("a").orElseThrow().read().getFloat(0));
        }
    }
}
