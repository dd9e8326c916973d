package io.vidrd.runtime.checkpoint;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The zip container of a PyTorch checkpoint: finds the top folder, {@code data.pkl},
 * {@code byteorder} and the {@code data/<key>} storages, and reads byte ranges of storages on
 * demand. For stored (uncompressed) entries, which is what {@code torch.save} writes, skipping to
 * an offset costs nothing, so reading one tensor reads only its bytes.
 */
final class TorchZipArchive implements Closeable {

    private static final int CHUNK = 1 << 20;

    final Path file;
    private final ZipFile zip;
    /** Top folder with its trailing slash, or "" when data.pkl sits at the root. */
    final String prefix;
    final ZipEntry dataPkl;
    final ByteOrder byteOrder;
    private final Map<String, TorchStorage> storages = new HashMap<>();

    private TorchZipArchive(Path file, ZipFile zip, String prefix, ZipEntry dataPkl, ByteOrder byteOrder) {
        this.file = file;
        this.zip = zip;
        this.prefix = prefix;
        this.dataPkl = dataPkl;
        this.byteOrder = byteOrder;
    }

    /** Opens the zip (already known to start with a zip signature) and locates data.pkl. */
    static TorchZipArchive open(Path file, ZipFile zip) throws IOException {
        try {
            List<ZipEntry> pickles = new ArrayList<>();
            var entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName();
                if (name.equals("data.pkl")
                        || (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length())) {
                    pickles.add(e);
                }
            }
            if (pickles.isEmpty()) {
                throw new CheckpointException(file, "not a PyTorch checkpoint: the zip archive has no "
                        + "<folder>/data.pkl entry (" + zip.size() + " entries)");
            }
            if (pickles.size() > 1) {
                List<String> names = new ArrayList<>();
                pickles.forEach(p -> names.add(p.getName()));
                throw new CheckpointException(file, "ambiguous PyTorch checkpoint: several data.pkl entries " + names);
            }
            ZipEntry pkl = pickles.get(0);
            String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            ZipEntry bo = zip.getEntry(prefix + "byteorder");
            if (bo != null) {
                String text;
                try (InputStream in = zip.getInputStream(bo)) {
                    text = new String(in.readNBytes(64), StandardCharsets.US_ASCII).trim();
                }
                if (text.equals("big")) {
                    order = ByteOrder.BIG_ENDIAN;
                } else if (!text.equals("little")) {
                    throw new CheckpointException(file, "unknown byte order '" + text + "' in " + bo.getName());
                }
            }
            return new TorchZipArchive(file, zip, prefix, pkl, order);
        } catch (IOException | RuntimeException e) {
            try {
                zip.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof CheckpointException) {
                throw (CheckpointException) e;
            }
            throw new CheckpointException(file, "unreadable PyTorch zip checkpoint: " + e, e);
        }
    }

    InputStream openPickle() throws IOException {
        return zip.getInputStream(dataPkl);
    }

    /**
     * The storage named by a persistent id; the same key and type give the same object, so
     * tensors sharing a storage share it here too.
     */
    TorchStorage storage(String key, TensorType type, long numel) throws CheckpointException {
        String id = key + "\u0000" + type;
        TorchStorage known = storages.get(id);
        if (known != null) {
            if (known.numel != numel) {
                throw new CheckpointException(file, "storage data/" + key + " is declared with " + known.numel
                        + " and with " + numel + " elements");
            }
            return known;
        }
        if (numel < 0) {
            throw new CheckpointException(file, "storage data/" + key + " has a negative size " + numel);
        }
        ZipEntry entry = zip.getEntry(prefix + "data/" + key);
        if (entry == null) {
            throw new CheckpointException(file, "storage data/" + key + " is referenced by data.pkl but the entry "
                    + prefix + "data/" + key + " is missing");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(numel, (long) type.byteSize());
        } catch (ArithmeticException e) {
            throw new CheckpointException(file, "storage data/" + key + " has an impossible size " + numel);
        }
        if (entry.getSize() >= 0 && entry.getSize() < bytes) {
            throw new CheckpointException(file, "storage data/" + key + " should hold " + numel + " " + type
                    + " elements (" + bytes + " bytes) but its entry has " + entry.getSize() + " bytes");
        }
        TorchStorage s = new TorchStorage(this, key, type, numel, entry);
        storages.put(id, s);
        return s;
    }

    /** Reads {@code dst.remaining()} bytes of an entry starting at {@code byteOffset}. */
    void read(ZipEntry entry, long byteOffset, ByteBuffer dst) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            in.skipNBytes(byteOffset);
            byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(1, dst.remaining()))];
            while (dst.hasRemaining()) {
                int want = Math.min(chunk.length, dst.remaining());
                int n = in.readNBytes(chunk, 0, want);
                if (n < want) {
                    throw new EOFException();
                }
                dst.put(chunk, 0, n);
            }
        } catch (EOFException e) {
            throw new CheckpointException(file, "truncated: entry " + entry.getName() + " ends before byte "
                    + (byteOffset + dst.remaining()), e);
        } catch (IllegalStateException e) {
            throw new CheckpointException(file, "checkpoint is closed", e);
        }
    }

    /** Reads {@code len} bytes of an entry starting at {@code byteOffset} into a heap array. */
    void read(ZipEntry entry, long byteOffset, byte[] dst, int len) throws IOException {
        read(entry, byteOffset, ByteBuffer.wrap(dst, 0, len));
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
