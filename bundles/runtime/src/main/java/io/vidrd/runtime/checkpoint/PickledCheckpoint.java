package io.vidrd.runtime.checkpoint;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A decoded PyTorch zip checkpoint: the object {@code data.pkl} describes, with tensors as
 * {@link PickledTensor} records read on demand from the still-open file.
 *
 * <p>The decoded object graph uses: {@link Map} (dicts and {@code OrderedDict}s, file order),
 * {@link java.util.List} (lists), {@code Object[]} (tuples), {@link java.util.Set},
 * {@link String}, {@link Integer} / {@link Long} / {@link java.math.BigInteger}, {@link Double},
 * {@link Boolean}, {@code byte[]}, {@code null} (None), {@link PickledTensor},
 * {@link PickleGlobal} (an uncalled global such as {@code torch.float16}) and
 * {@link PickledObject} (an inert stand-in for anything else the pickle would have built). The
 * graph is mutable Java collections but belongs to this checkpoint; do not modify it.
 */
public final class PickledCheckpoint implements Closeable {

    private final TorchZipArchive archive;
    private final Object root;

    PickledCheckpoint(TorchZipArchive archive, Object root) {
        this.archive = archive;
        this.root = root;
    }

    /** @return the checkpoint file */
    public Path source() {
        return archive.file;
    }

    /** @return the top folder inside the zip (e.g. {@code archive} or {@code ModelT2V}); "" if none */
    public String archiveName() {
        return archive.prefix.isEmpty() ? "" : archive.prefix.substring(0, archive.prefix.length() - 1);
    }

    /** @return byte order of the storages (from the {@code byteorder} entry; little if absent) */
    public ByteOrder byteOrder() {
        return archive.byteOrder;
    }

    /** @return the top-level decoded object (usually a dict) */
    public Object root() {
        return root;
    }

    /**
     * @param key a top-level key
     * @return the value under that key if the top-level object is a dict holding it
     */
    public Optional<Object> get(String key) {
        return root instanceof Map ? Optional.ofNullable(((Map<?, ?>) root).get(key)) : Optional.empty();
    }

    /**
     * The state dict by the usual rule: if the top-level object is a dict with a dict under
     * {@code "state_dict"} (Lightning checkpoints), that; otherwise the top-level dict.
     *
     * @return the state dict; it shares this checkpoint's file: closing it does nothing, close
     *     the checkpoint instead
     * @throws CheckpointException if that dict is missing or holds anything but tensors by string
     *     keys
     */
    public StateDict stateDict() throws CheckpointException {
        return defaultStateDict(false);
    }

    StateDict defaultStateDict(boolean owning) throws CheckpointException {
        if (root instanceof Map && ((Map<?, ?>) root).get("state_dict") instanceof Map) {
            return stateDict(((Map<?, ?>) root).get("state_dict"), "entry 'state_dict'", owning);
        }
        return stateDict(root, "top-level object", owning);
    }

    /**
     * @param entry a top-level key whose value is a dict of tensors (e.g. {@code "state_dict"})
     * @return that dict as a state dict; it shares this checkpoint's file: closing it does
     *     nothing, close the checkpoint instead
     * @throws CheckpointException if there is no such dict or it holds anything but tensors by
     *     string keys
     */
    public StateDict stateDict(String entry) throws CheckpointException {
        if (!(root instanceof Map)) {
            throw new CheckpointException(source(), "top-level object is " + RestrictedUnpickler.aTypeName(root)
                    + ", not a dict, so it has no entry '" + entry + "'");
        }
        Map<?, ?> top = (Map<?, ?>) root;
        if (!top.containsKey(entry)) {
            throw new CheckpointException(source(), "top-level dict has no entry '" + entry + "' (keys: "
                    + describeKeys(top) + ")");
        }
        return stateDict(top.get(entry), "entry '" + entry + "'", false);
    }

    StateDict stateDict(Object value, String where, boolean owning) throws CheckpointException {
        if (!(value instanceof Map)) {
            throw new CheckpointException(source(), where + " is " + RestrictedUnpickler.aTypeName(value)
                    + ", not a dict of tensors");
        }
        Map<String, TensorRecord> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            if (!(e.getKey() instanceof String)) {
                throw new CheckpointException(source(), where + " has a key that is "
                        + RestrictedUnpickler.aTypeName(e.getKey()) + ", not a string");
            }
            String key = (String) e.getKey();
            Object v = e.getValue();
            if (v instanceof PickledTensor) {
                tensors.put(key, ((PickledTensor) v).withKey(key));
            } else if (v instanceof PickledObject) {
                throw new CheckpointException(source(), "state dict key '" + key + "' (in " + where
                        + ") is not a tensor but an object of Python global " + ((PickledObject) v).qualifiedName()
                        + " (not called: the reader does not execute code from checkpoints)");
            } else {
                throw new CheckpointException(source(), "state dict key '" + key + "' (in " + where
                        + ") is not a tensor but " + RestrictedUnpickler.aTypeName(v));
            }
        }
        return new PickledStateDict(this, Collections.unmodifiableMap(tensors), owning);
    }

    private static String describeKeys(Map<?, ?> map) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (Object k : map.keySet()) {
            if (n++ == 10) {
                sb.append(", ...");
                break;
            }
            sb.append(n > 1 ? ", " : "").append(k instanceof String ? "'" + k + "'" : RestrictedUnpickler.typeName(k));
        }
        return sb.toString();
    }

    /** Closes the file; tensor records must not be read afterwards. Never throws. */
    @Override
    public void close() {
        try {
            archive.close();
        } catch (IOException ignored) {
            // read-only file: nothing to recover
        }
    }

    private static final class PickledStateDict implements StateDict {
        private final PickledCheckpoint checkpoint;
        private final Map<String, TensorRecord> tensors;
        private final boolean owning;

        PickledStateDict(PickledCheckpoint checkpoint, Map<String, TensorRecord> tensors, boolean owning) {
            this.checkpoint = checkpoint;
            this.tensors = tensors;
            this.owning = owning;
        }

        @Override public Path source() { return checkpoint.source(); }
        @Override public Map<String, TensorRecord> tensors() { return tensors; }

        @Override
        public void close() {
            if (owning) {
                checkpoint.close();
            }
        }
    }
}
