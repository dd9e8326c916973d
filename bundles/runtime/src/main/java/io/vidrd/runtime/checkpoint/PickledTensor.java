package io.vidrd.runtime.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor of a PyTorch zip checkpoint: a view (offset, size, stride) of one {@code data/<key>}
 * storage. Several tensors may share one storage. {@link #read()} reads only the bytes the view
 * covers and returns them row-major, contiguous and little-endian.
 */
public final class PickledTensor implements TensorRecord {

    /** Largest piece of a storage held on the heap at once while gathering a strided view. */
    static final long GATHER_WINDOW_BYTES = 256L << 20;

    private final String key;
    private final TorchStorage storage;
    private final long offset;
    private final long[] size;
    private final long[] stride;
    private final boolean requiresGrad;

    PickledTensor(String key, TorchStorage storage, long offset, long[] size, long[] stride, boolean requiresGrad) {
        this.key = key;
        this.storage = storage;
        this.offset = offset;
        this.size = size;
        this.stride = stride;
        this.requiresGrad = requiresGrad;
    }

    /**
     * Checks a view against its storage.
     *
     * @return an error message, or null when the view fits
     */
    static String checkView(TorchStorage storage, long offset, long[] size, long[] stride) {
        if (size.length != stride.length) {
            return "size " + Arrays.toString(size) + " and stride " + Arrays.toString(stride) + " differ in rank";
        }
        if (offset < 0) {
            return "negative storage offset " + offset;
        }
        long count = 1;
        long last = offset;
        try {
            for (int i = 0; i < size.length; i++) {
                if (size[i] < 0 || stride[i] < 0) {
                    return "negative size or stride: size " + Arrays.toString(size) + ", stride " + Arrays.toString(stride);
                }
                count = Math.multiplyExact(count, size[i]);
                if (size[i] > 0) {
                    last = Math.addExact(last, Math.multiplyExact(size[i] - 1, stride[i]));
                }
            }
            Math.multiplyExact(count, (long) storage.type.byteSize());
        } catch (ArithmeticException e) {
            return "size " + Arrays.toString(size) + " / stride " + Arrays.toString(stride) + " overflow";
        }
        if (count > 0 && last >= storage.numel) {
            return "view (offset " + offset + ", size " + Arrays.toString(size) + ", stride " + Arrays.toString(stride)
                    + ") reaches element " + last + " of " + storage + " with only " + storage.numel + " elements";
        }
        return null;
    }

    /** @return the same tensor under a state-dict key */
    PickledTensor withKey(String newKey) {
        return newKey.equals(key) ? this : new PickledTensor(newKey, storage, offset, size, stride, requiresGrad);
    }

    /** @return the same tensor with another {@code requires_grad} flag */
    PickledTensor withRequiresGrad(boolean flag) {
        return flag == requiresGrad ? this : new PickledTensor(key, storage, offset, size, stride, flag);
    }

    /** @return its state-dict key, or "" for a tensor that was not reached through a state dict */
    @Override
    public String key() {
        return key;
    }

    @Override
    public TensorType type() {
        return storage.type;
    }

    @Override
    public long[] shape() {
        return size.clone();
    }

    /** @return strides in elements, as stored (a copy) */
    public long[] stride() {
        return stride.clone();
    }

    /** @return offset of the first element in its storage, in elements */
    public long storageOffset() {
        return offset;
    }

    /** @return the storage key, i.e. the name of the {@code data/<key>} entry */
    public String storageKey() {
        return storage.key;
    }

    /** @return number of elements of the underlying storage */
    public long storageElementCount() {
        return storage.numel;
    }

    /** @return the {@code requires_grad} flag it was saved with */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** @return whether the view is row-major contiguous (then one range of the storage is read) */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            if (size[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= size[i];
        }
        return true;
    }

    private String describe() {
        return key.isEmpty() ? "tensor on storage data/" + storage.key : "tensor '" + key + "'";
    }

    @Override
    public ByteBuffer read() throws IOException {
        int es = storage.type.byteSize();
        long count = elementCount();
        long bytes = count * es;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new CheckpointException(storage.archive.file, describe() + " has " + bytes
                    + " bytes, more than one buffer holds");
        }
        ByteBuffer out = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (count > 0) {
            TorchZipArchive archive = storage.archive;
            if (isContiguous()) {
                archive.read(storage.entry, offset * es, out);
                out.clear();
            } else {
                gather((from, dst, len) -> archive.read(storage.entry, from * es, dst, len),
                        offset, size, stride, es, out, Math.max(1, GATHER_WINDOW_BYTES / es));
            }
            if (storage.archive.byteOrder == ByteOrder.BIG_ENDIAN && es > 1) {
                swapBytes(out, es);
            }
        }
        return out.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Reads {@code len} bytes starting at storage element {@code fromElement}. */
    interface RangeReader {
        void read(long fromElement, byte[] dst, int len) throws IOException;
    }

    /**
     * Copies a strided view into {@code out} in row-major order. The storage range the view
     * covers is read in windows of at most {@code windowElements} elements; within a window,
     * runs of elements contiguous in the storage are copied at once.
     */
    static void gather(RangeReader reader, long offset, long[] size, long[] stride, int es, ByteBuffer out,
            long windowElements) throws IOException {
        // drop size-1 dimensions, merge dimensions that are contiguous with each other
        long[] sz = new long[size.length];
        long[] st = new long[size.length];
        int nd = 0;
        for (int i = 0; i < size.length; i++) {
            if (size[i] == 0) {
                return;
            }
            if (size[i] == 1) {
                continue;
            }
            if (nd > 0 && st[nd - 1] == stride[i] * size[i]) {
                sz[nd - 1] *= size[i];
                st[nd - 1] = stride[i];
            } else {
                sz[nd] = size[i];
                st[nd] = stride[i];
                nd++;
            }
        }
        long runLen = 1;
        int outer = nd;
        if (nd > 0 && st[nd - 1] == 1) {
            runLen = sz[nd - 1];
            outer = nd - 1;
        }
        long span = 1;
        for (int i = 0; i < nd; i++) {
            span += (sz[i] - 1) * st[i];
        }
        long runs = 1;
        for (int i = 0; i < outer; i++) {
            runs *= sz[i];
        }
        long window = Math.min(span, windowElements);
        byte[] buf = new byte[(int) (window * es)];
        long[] idx = new long[outer];
        for (long w = 0; w < span; w += window) {
            long wEnd = Math.min(span, w + window);
            reader.read(offset + w, buf, (int) ((wEnd - w) * es));
            Arrays.fill(idx, 0);
            long runStart = 0;
            for (long r = 0; r < runs; r++) {
                long a = Math.max(runStart, w);
                long b = Math.min(runStart + runLen, wEnd);
                if (a < b) {
                    long outElem = r * runLen + (a - runStart);
                    out.put((int) (outElem * es), buf, (int) ((a - w) * es), (int) ((b - a) * es));
                }
                // next outer index, row-major
                for (int d = outer - 1; d >= 0; d--) {
                    idx[d]++;
                    runStart += st[d];
                    if (idx[d] < sz[d]) {
                        break;
                    }
                    runStart -= st[d] * sz[d];
                    idx[d] = 0;
                }
            }
        }
    }

    private static void swapBytes(ByteBuffer buf, int es) {
        byte[] tmp = new byte[es];
        for (int p = 0; p + es <= buf.capacity(); p += es) {
            buf.get(p, tmp);
            for (int i = 0; i < es; i++) {
                buf.put(p + i, tmp[es - 1 - i]);
            }
        }
    }

    @Override
    public String toString() {
        return "PickledTensor[" + (key.isEmpty() ? "" : key + ", ") + storage.type + " " + Arrays.toString(size)
                + ", stride " + Arrays.toString(stride) + ", offset " + offset + ", storage data/" + storage.key + "]";
    }
}
