package io.vidrd.runtime.checkpoint;

import java.util.zip.ZipEntry;

/** One {@code data/<key>} storage of a PyTorch zip checkpoint: its element type and length. */
final class TorchStorage {
    final TorchZipArchive archive;
    final String key;
    final TensorType type;
    final long numel;
    final ZipEntry entry;

    TorchStorage(TorchZipArchive archive, String key, TensorType type, long numel, ZipEntry entry) {
        this.archive = archive;
        this.key = key;
        this.type = type;
        this.numel = numel;
        this.entry = entry;
    }

    @Override
    public String toString() {
        return "storage data/" + key + " (" + numel + " x " + type + ")";
    }
}
