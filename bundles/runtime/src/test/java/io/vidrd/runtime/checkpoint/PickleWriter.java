package io.vidrd.runtime.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A tiny hand-rolled pickle writer for tests: each method appends one opcode (or a few), so tests
 * can build exactly the byte stream they want, including malicious ones.
 */
final class PickleWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleWriter proto(int p) { return op(0x80).raw(p); }
    PickleWriter stop() { return op('.'); }
    PickleWriter mark() { return op('('); }
    PickleWriter none() { return op('N'); }
    PickleWriter bool(boolean b) { return op(b ? 0x88 : 0x89); }
    PickleWriter emptyTuple() { return op(')'); }
    PickleWriter tuple() { return op('t'); }
    PickleWriter tuple1() { return op(0x85); }
    PickleWriter tuple2() { return op(0x86); }
    PickleWriter tuple3() { return op(0x87); }
    PickleWriter emptyList() { return op(']'); }
    PickleWriter list() { return op('l'); }
    PickleWriter emptyDict() { return op('}'); }
    PickleWriter dict() { return op('d'); }
    PickleWriter emptySet() { return op(0x8f); }
    PickleWriter addItems() { return op(0x90); }
    PickleWriter setItem() { return op('s'); }
    PickleWriter setItems() { return op('u'); }
    PickleWriter append() { return op('a'); }
    PickleWriter appends() { return op('e'); }
    PickleWriter reduce() { return op('R'); }
    PickleWriter newObj() { return op(0x81); }
    PickleWriter build() { return op('b'); }
    PickleWriter obj() { return op('o'); }
    PickleWriter binPersId() { return op('Q'); }
    PickleWriter pop() { return op('0'); }
    PickleWriter stackGlobal() { return op(0x93); }
    PickleWriter memoize() { return op(0x94); }

    PickleWriter global(String module, String name) {
        op('c');
        ascii(module + "\n" + name + "\n");
        return this;
    }

    PickleWriter inst(String module, String name) {
        op('i');
        ascii(module + "\n" + name + "\n");
        return this;
    }

    /** protocol 4 style: two strings then STACK_GLOBAL */
    PickleWriter stackGlobal(String module, String name) {
        return str(module).str(name).stackGlobal();
    }

    PickleWriter put(int memo) {
        return memo < 256 ? op('q').raw(memo) : op('r').le(memo, 4);
    }

    PickleWriter get(int memo) {
        return memo < 256 ? op('h').raw(memo) : op('j').le(memo, 4);
    }

    PickleWriter str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X').le(b.length, 4);
        out.writeBytes(b);
        return this;
    }

    PickleWriter integer(long v) {
        if (v >= 0 && v < 256) {
            return op('K').raw((int) v);
        }
        if (v >= 0 && v < 65536) {
            return op('M').le(v, 2);
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return op('J').le(v, 4);
        }
        return op(0x8a).raw(8).le(v, 8);
    }

    PickleWriter floatValue(double d) {
        op('G');
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(d).array());
        return this;
    }

    /** Raw bytes, for deliberately broken streams. */
    PickleWriter raw(int b) {
        out.write(b);
        return this;
    }

    PickleWriter le(long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
        return this;
    }

    private PickleWriter op(int code) {
        out.write(code);
        return this;
    }

    private void ascii(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Tuple of ints: MARK ints TUPLE. */
    PickleWriter intTuple(long... values) {
        mark();
        for (long v : values) {
            integer(v);
        }
        return tuple();
    }

    /**
     * Pushes {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False,
     * OrderedDict())} like torch.save does.
     */
    PickleWriter tensor(String storageType, String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2");
        mark();
        mark().str("storage").global("torch", storageType).str(key).str("cpu").integer(numel).tuple().binPersId();
        integer(offset);
        intTuple(size);
        intTuple(stride);
        bool(false);
        global("collections", "OrderedDict").emptyTuple().reduce();
        tuple();
        return reduce();
    }

    /** A contiguous tensor covering a whole storage. */
    PickleWriter tensor(String storageType, String key, long... shape) {
        long[] stride = new long[shape.length];
        long numel = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = numel;
            numel *= shape[i];
        }
        return tensor(storageType, key, numel, 0, shape, stride);
    }

    /** Wraps the tensor in torch._utils._rebuild_parameter(tensor, requires_grad, OrderedDict()). */
    PickleWriter parameter(String storageType, String key, long... shape) {
        global("torch._utils", "_rebuild_parameter");
        tensor(storageType, key, shape);
        bool(true);
        global("collections", "OrderedDict").emptyTuple().reduce();
        tuple3();
        return reduce();
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
