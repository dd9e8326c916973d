package io.vidrd.runtime.checkpoint;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * A razorvine {@link Unpickler} that never executes anything. Every opcode that could reach code
 * ({@code GLOBAL}, {@code STACK_GLOBAL}, {@code REDUCE}, {@code NEWOBJ}, {@code NEWOBJ_EX},
 * {@code OBJ}, {@code INST}, {@code BUILD}, {@code EXT*}) is handled here, per instance, without
 * the library's static constructor registry and without reflection:
 *
 * <ul>
 *   <li>a global becomes a {@link PickleGlobal}, a plain name;
 *   <li>calling one of the few globals a state dict needs is interpreted here: tensor rebuilds
 *       ({@code torch._utils._rebuild_tensor_v2} and relatives) become {@link PickledTensor}s,
 *       {@code collections.OrderedDict}, {@code set}, {@code frozenset} become Java collections;
 *   <li>calling anything else yields an inert {@link PickledObject} that records the call;
 *   <li>{@code BUILD} records the state on a {@link PickledObject} and is ignored otherwise: the
 *       library's {@code __setstate__} reflection is never reached.
 * </ul>
 *
 * The container opcodes are handled here too so that dicts keep their file order and so that
 * items added to placeholders are recorded. Length-prefixed opcodes are checked against the bytes
 * left in {@code data.pkl} before the library allocates anything.
 */
final class RestrictedUnpickler extends Unpickler {

    private final TorchZipArchive archive;
    private CountingInput counting;

    RestrictedUnpickler(TorchZipArchive archive) {
        this.archive = archive;
    }

    /**
     * @param in the pickle stream
     * @param length its length in bytes, or -1 if unknown
     */
    Object load(InputStream in, long length) throws IOException {
        counting = new CountingInput(new BufferedInputStream(in, 1 << 16), length);
        return load(counting);
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case Opcodes.GLOBAL: {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(new PickleGlobal(module, name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.STACK_GLOBAL: {
                Object name = stack.pop();
                Object module = stack.pop();
                if (!(module instanceof String) || !(name instanceof String)) {
                    throw new PickleException("STACK_GLOBAL needs two strings, got " + typeName(module)
                            + " and " + typeName(name));
                }
                stack.add(new PickleGlobal((String) module, (String) name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.REDUCE: {
                Object args = stack.pop();
                Object callee = stack.pop();
                stack.add(call(callee, tuple(args, "REDUCE"), PickledObject.Call.REDUCE));
                return NO_RETURN_VALUE;
            }
            case Opcodes.NEWOBJ: {
                Object args = stack.pop();
                Object cls = stack.pop();
                stack.add(newObject(cls, tuple(args, "NEWOBJ"), null, PickledObject.Call.NEWOBJ));
                return NO_RETURN_VALUE;
            }
            case Opcodes.NEWOBJ_EX: {
                Object kwargs = stack.pop();
                Object args = stack.pop();
                Object cls = stack.pop();
                if (!(kwargs instanceof Map)) {
                    throw new PickleException("NEWOBJ_EX keyword arguments are " + aTypeName(kwargs) + ", not a dict");
                }
                @SuppressWarnings("unchecked")
                Map<Object, Object> kw = (Map<Object, Object>) kwargs;
                stack.add(newObject(cls, tuple(args, "NEWOBJ_EX"), kw, PickledObject.Call.NEWOBJ_EX));
                return NO_RETURN_VALUE;
            }
            case Opcodes.OBJ: {
                List<Object> items = stack.pop_all_since_marker();
                if (items.isEmpty()) {
                    throw new PickleException("OBJ without a class");
                }
                stack.add(call(items.get(0), items.subList(1, items.size()), PickledObject.Call.OBJ));
                return NO_RETURN_VALUE;
            }
            case Opcodes.INST: {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                List<Object> args = stack.pop_all_since_marker();
                stack.add(call(new PickleGlobal(module, name), args, PickledObject.Call.INST));
                return NO_RETURN_VALUE;
            }
            case Opcodes.BUILD: {
                Object state = stack.pop();
                Object target = stack.peek();
                if (target instanceof PickledObject) {
                    ((PickledObject) target).setState(state);
                }
                // anything else (tensors, dicts, ...): the state is dropped; nothing is invoked
                return NO_RETURN_VALUE;
            }
            case Opcodes.EXT1:
            case Opcodes.EXT2:
            case Opcodes.EXT4:
                throw new PickleException("extension-registry opcodes (EXT1/2/4) are not supported");
            case Opcodes.EMPTY_DICT:
                stack.add(new LinkedHashMap<>());
                return NO_RETURN_VALUE;
            case Opcodes.DICT: {
                List<Object> items = stack.pop_all_since_marker();
                Map<Object, Object> dict = new LinkedHashMap<>();
                putPairs(dict, items, "DICT");
                stack.add(dict);
                return NO_RETURN_VALUE;
            }
            case Opcodes.EMPTY_SET:
                stack.add(new LinkedHashSet<>());
                return NO_RETURN_VALUE;
            case Opcodes.FROZENSET:
                stack.add(new LinkedHashSet<>(stack.pop_all_since_marker()));
                return NO_RETURN_VALUE;
            case Opcodes.SETITEM: {
                Object value = stack.pop();
                Object k = stack.pop();
                setItems(stack.peek(), Arrays.asList(k, value));
                return NO_RETURN_VALUE;
            }
            case Opcodes.SETITEMS: {
                List<Object> items = stack.pop_all_since_marker();
                setItems(stack.peek(), items);
                return NO_RETURN_VALUE;
            }
            case Opcodes.APPEND: {
                Object value = stack.pop();
                append(stack.peek(), Arrays.asList(value), "APPEND");
                return NO_RETURN_VALUE;
            }
            case Opcodes.APPENDS: {
                List<Object> values = stack.pop_all_since_marker();
                append(stack.peek(), values, "APPENDS");
                return NO_RETURN_VALUE;
            }
            case Opcodes.ADDITEMS: {
                List<Object> values = stack.pop_all_since_marker();
                append(stack.peek(), values, "ADDITEMS");
                return NO_RETURN_VALUE;
            }
            case Opcodes.BINSTRING:
            case Opcodes.BINUNICODE:
            case Opcodes.BINBYTES:
            case Opcodes.LONG4:
                checkLength(4);
                return super.dispatch(key);
            case Opcodes.BINUNICODE8:
            case Opcodes.BINBYTES8:
            case Opcodes.BYTEARRAY8:
                checkLength(8);
                return super.dispatch(key);
            default:
                return super.dispatch(key);
        }
    }

    // ---------------------------------------------------------------- persistent ids: storages

    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[])) {
            throw new PickleException("unsupported persistent id: " + aTypeName(pid) + " (expected a storage tuple)");
        }
        Object[] t = (Object[]) pid;
        if (t.length != 5 || !"storage".equals(t[0])) {
            throw new PickleException("unsupported persistent id: a tuple of " + t.length + " starting with "
                    + (t.length > 0 ? describe(t[0]) : "nothing") + " (expected ('storage', type, key, location, numel))");
        }
        TensorType type = storageType(t[1]);
        Object key = t[2];
        if (!(key instanceof String) && !(key instanceof Number)) {
            throw new PickleException("storage key is " + aTypeName(key));
        }
        long numel = toLong(t[4], "storage size");
        try {
            return archive.storage(key.toString(), type, numel);
        } catch (CheckpointException e) {
            String prefix = archive.file + ": ";
            String m = String.valueOf(e.getMessage());
            throw new PickleException(m.startsWith(prefix) ? m.substring(prefix.length()) : m, e);
        }
    }

    private static TensorType storageType(Object o) {
        if (!(o instanceof PickleGlobal)) {
            throw new PickleException("storage type is " + aTypeName(o) + ", not a torch storage class");
        }
        PickleGlobal g = (PickleGlobal) o;
        String module = g.module();
        if (!module.equals("torch") && !module.equals("torch.cuda") && !module.equals("torch.storage")) {
            throw new PickleException("unsupported storage type " + g.qualifiedName());
        }
        switch (g.name()) {
            case "FloatStorage": return TensorType.FLOAT32;
            case "HalfStorage": return TensorType.FLOAT16;
            case "BFloat16Storage": return TensorType.BFLOAT16;
            case "DoubleStorage": return TensorType.FLOAT64;
            case "LongStorage": return TensorType.INT64;
            case "IntStorage": return TensorType.INT32;
            case "ShortStorage": return TensorType.INT16;
            case "CharStorage": return TensorType.INT8;
            case "ByteStorage":
            case "UntypedStorage":
                return TensorType.UINT8;
            case "BoolStorage": return TensorType.BOOL;
            default:
                throw new PickleException("unsupported storage type " + g.qualifiedName());
        }
    }

    // ---------------------------------------------------------------- calls

    /** REDUCE / OBJ / INST: {@code callee(*args)}. Only allow-listed globals are interpreted. */
    private Object call(Object callee, List<Object> args, PickledObject.Call how) {
        if (callee instanceof PickleGlobal) {
            PickleGlobal g = (PickleGlobal) callee;
            switch (g.qualifiedName()) {
                case "torch._utils._rebuild_tensor_v2":
                    return rebuildTensor(args, 4, "_rebuild_tensor_v2");
                case "torch._utils._rebuild_tensor":
                    return rebuildTensor(args, 4, "_rebuild_tensor");
                case "torch._utils._rebuild_parameter":
                case "torch._utils._rebuild_parameter_with_state":
                    // (data, requires_grad, backward_hooks[, state]): the tensor, flagged
                    if (!args.isEmpty() && args.get(0) instanceof PickledTensor) {
                        PickledTensor data = (PickledTensor) args.get(0);
                        return args.size() > 1 && args.get(1) instanceof Boolean
                                ? data.withRequiresGrad((Boolean) args.get(1)) : data;
                    }
                    break;
                case "torch._tensor._rebuild_from_type_v2":
                    // (func, new_type, args, state): a tensor rebuilt by func, then given a subclass
                    if (args.size() >= 3 && args.get(0) instanceof PickleGlobal && args.get(2) instanceof Object[]
                            && isTensorClass(args.get(1))) {
                        Object inner = call(args.get(0), Arrays.asList((Object[]) args.get(2)), how);
                        if (inner instanceof PickledTensor) {
                            return inner;
                        }
                    }
                    break;
                case "collections.OrderedDict":
                case "builtins.dict":
                case "__builtin__.dict":
                    if (args.isEmpty()) {
                        return new LinkedHashMap<>();
                    }
                    if (args.size() == 1) {
                        Map<Object, Object> fromPairs = dictFromPairs(args.get(0));
                        if (fromPairs != null) {
                            return fromPairs;
                        }
                    }
                    break;
                case "builtins.set":
                case "__builtin__.set":
                case "builtins.frozenset":
                case "__builtin__.frozenset":
                    if (args.isEmpty()) {
                        return new LinkedHashSet<>();
                    }
                    if (args.size() == 1 && iterable(args.get(0)) != null) {
                        return new LinkedHashSet<>(iterable(args.get(0)));
                    }
                    break;
                case "builtins.bytearray":
                case "__builtin__.bytearray":
                    // protocol 2: bytearray(_codecs.encode(text, 'latin1'))
                    if (args.isEmpty()) {
                        return new byte[0];
                    }
                    if (args.size() == 1 && args.get(0) instanceof byte[]) {
                        return ((byte[]) args.get(0)).clone();
                    }
                    break;
                case "torch.Size":
                    if (args.size() == 1 && args.get(0) instanceof Object[]) {
                        return args.get(0);
                    }
                    break;
                case "_codecs.encode":
                    // how protocol 2 pickles Python 3 bytes: _codecs.encode(text, 'latin1')
                    if (args.size() == 2 && args.get(0) instanceof String
                            && ("latin1".equals(args.get(1)) || "latin-1".equals(args.get(1)))) {
                        return ((String) args.get(0)).getBytes(StandardCharsets.ISO_8859_1);
                    }
                    break;
                default:
                    break;
            }
        }
        return new PickledObject(callee, how, args, null);
    }

    /** NEWOBJ / NEWOBJ_EX: {@code cls.__new__(cls, *args)}; only plain containers are made. */
    private Object newObject(Object cls, List<Object> args, Map<Object, Object> kwargs, PickledObject.Call how) {
        if (cls instanceof PickleGlobal && (kwargs == null || kwargs.isEmpty())) {
            switch (((PickleGlobal) cls).qualifiedName()) {
                case "collections.OrderedDict":
                case "builtins.dict":
                case "__builtin__.dict":
                    return new LinkedHashMap<>();
                case "builtins.set":
                case "__builtin__.set":
                    return new LinkedHashSet<>();
                default:
                    break;
            }
        }
        return new PickledObject(cls, how, args, kwargs);
    }

    private static boolean isTensorClass(Object o) {
        return o instanceof PickleGlobal && (((PickleGlobal) o).is("torch.Tensor")
                || ((PickleGlobal) o).is("torch.nn.parameter.Parameter"));
    }

    private PickledTensor rebuildTensor(List<Object> args, int minArgs, String what) {
        if (args.size() < minArgs) {
            throw new PickleException(what + " needs at least " + minArgs + " arguments, got " + args.size());
        }
        if (!(args.get(0) instanceof TorchStorage)) {
            throw new PickleException(what + ": first argument is " + aTypeName(args.get(0)) + ", not a storage");
        }
        TorchStorage storage = (TorchStorage) args.get(0);
        long offset = toLong(args.get(1), "storage offset");
        long[] size = longs(args.get(2), "size");
        long[] stride = longs(args.get(3), "stride");
        boolean requiresGrad = args.size() > 4 && Boolean.TRUE.equals(args.get(4));
        String problem = PickledTensor.checkView(storage, offset, size, stride);
        if (problem != null) {
            throw new PickleException("tensor on storage data/" + storage.key + ": " + problem);
        }
        return new PickledTensor("", storage, offset, size, stride, requiresGrad);
    }

    // ---------------------------------------------------------------- containers

    private static void setItems(Object target, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw new PickleException("SETITEMS with an odd number of values");
        }
        if (target instanceof PickledObject) {
            for (int i = 0; i < items.size(); i += 2) {
                ((PickledObject) target).putItem(items.get(i), items.get(i + 1));
            }
        } else if (target instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<Object, Object> map = (Map<Object, Object>) target;
            putPairs(map, items, "SETITEMS");
        } else {
            throw new PickleException("SETITEM(S) on " + aTypeName(target));
        }
    }

    private static void append(Object t, List<Object> vals, String op) {
        if (t instanceof PickledObject) {
            for (Object v : vals) {
                ((PickledObject) t).append(v);
            }
        } else if (op.equals("ADDITEMS") ? t instanceof Set : t instanceof List) {
            @SuppressWarnings("unchecked")
            Collection<Object> c = (Collection<Object>) t;
            c.addAll(vals);
        } else {
            throw new PickleException(op + " on " + aTypeName(t));
        }
    }

    private static void putPairs(Map<Object, Object> map, List<Object> items, String op) {
        if (items.size() % 2 != 0) {
            throw new PickleException(op + " with an odd number of values");
        }
        for (int i = 0; i < items.size(); i += 2) {
            map.put(items.get(i), items.get(i + 1));
        }
    }

    private static Map<Object, Object> dictFromPairs(Object pairs) {
        Collection<Object> c = iterable(pairs);
        if (c == null) {
            return null;
        }
        Map<Object, Object> map = new LinkedHashMap<>();
        for (Object p : c) {
            Collection<Object> kv = iterable(p);
            if (kv == null || kv.size() != 2) {
                return null;
            }
            var it = kv.iterator();
            map.put(it.next(), it.next());
        }
        return map;
    }

    @SuppressWarnings("unchecked")
    private static Collection<Object> iterable(Object o) {
        if (o instanceof Object[]) {
            return Arrays.asList((Object[]) o);
        }
        if (o instanceof List || o instanceof Set) {
            return (Collection<Object>) o;
        }
        return null;
    }

    private static List<Object> tuple(Object args, String op) {
        if (args instanceof Object[]) {
            return Arrays.asList((Object[]) args);
        }
        throw new PickleException(op + " arguments are " + aTypeName(args) + ", not a tuple");
    }

    // ---------------------------------------------------------------- numbers, names

    static long toLong(Object o, String what) {
        if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
            return ((Number) o).longValue();
        }
        if (o instanceof BigInteger) {
            try {
                return ((BigInteger) o).longValueExact();
            } catch (ArithmeticException e) {
                throw new PickleException(what + " " + o + " is out of range");
            }
        }
        throw new PickleException(what + " is " + aTypeName(o) + ", not an integer");
    }

    private static long[] longs(Object o, String what) {
        Collection<Object> c = iterable(o);
        if (c == null) {
            throw new PickleException(what + " is " + aTypeName(o) + ", not a tuple of integers");
        }
        long[] out = new long[c.size()];
        int i = 0;
        for (Object v : c) {
            out[i++] = toLong(v, what + " element");
        }
        return out;
    }

    /** @return the type name with its article: "an int", "a dict", "an object of Python global os.system" */
    static String aTypeName(Object o) {
        String t = typeName(o);
        return ("aeiou".indexOf(t.charAt(0)) >= 0 ? "an " : "a ") + t;
    }

    static String typeName(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof PickledObject) {
            return "object of Python global " + ((PickledObject) o).qualifiedName();
        }
        if (o instanceof PickleGlobal) {
            return "reference to Python global " + ((PickleGlobal) o).qualifiedName();
        }
        if (o instanceof Object[]) {
            return "tuple";
        }
        if (o instanceof Map) {
            return "dict";
        }
        if (o instanceof List) {
            return "list";
        }
        if (o instanceof Set) {
            return "set";
        }
        if (o instanceof String) {
            return "str";
        }
        if (o instanceof Number) {
            return o instanceof Double || o instanceof Float ? "float" : "int";
        }
        if (o instanceof Boolean) {
            return "bool";
        }
        if (o instanceof byte[]) {
            return "bytes";
        }
        if (o instanceof TorchStorage) {
            return "storage";
        }
        if (o instanceof TensorRecord) {
            return "tensor";
        }
        return o.getClass().getSimpleName();
    }

    private static String describe(Object o) {
        return o instanceof String ? "'" + o + "'" : typeName(o);
    }

    /** Before the library reads a length-prefixed value: is the length plausible? */
    private void checkLength(int width) throws IOException {
        byte[] b = counting.peek(width);
        if (b.length < width) {
            throw new PickleException("truncated pickle: ends inside a length field");
        }
        long len = width == 4 ? PickleUtils.bytes_to_integer(b) : PickleUtils.bytes_to_long(b, 0);
        long left = counting.remaining() - width;
        if (len < 0 || (counting.remaining() >= 0 && len > left)) {
            throw new PickleException("truncated or corrupt pickle: a value of " + len + " bytes at byte "
                    + counting.position() + " but only " + Math.max(0, left) + " bytes are left");
        }
    }

    /** Counts bytes read and peeks ahead; stays within the pickle's known length. */
    private static final class CountingInput extends FilterInputStream {
        private final long length;
        private long position;

        CountingInput(BufferedInputStream in, long length) {
            super(in);
            this.length = length;
        }

        long position() {
            return position;
        }

        /** @return bytes left, or -1 if the length is unknown */
        long remaining() {
            return length < 0 ? -1 : Math.max(0, length - position);
        }

        byte[] peek(int n) throws IOException {
            in.mark(n);
            byte[] b = in.readNBytes(n);
            in.reset();
            return b;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                position++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(n);
            position += s;
            return s;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
