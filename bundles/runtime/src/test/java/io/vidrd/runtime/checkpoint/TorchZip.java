package io.vidrd.runtime.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds PyTorch-style zip checkpoints for tests. */
final class TorchZip {
    private final String folder;
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private boolean deflate;

    TorchZip(String folder) {
        this.folder = folder;
    }

    TorchZip pickle(byte[] pkl) {
        return entry("data.pkl", pkl);
    }

    TorchZip byteOrder(String order) {
        return entry("byteorder", order.getBytes(StandardCharsets.US_ASCII));
    }

    TorchZip storage(String key, byte[] data) {
        return entry("data/" + key, data);
    }

    TorchZip entry(String name, byte[] data) {
        entries.put(folder.isEmpty() ? name : folder + "/" + name, data);
        return this;
    }

    TorchZip deflate() {
        deflate = true;
        return this;
    }

    Path write(Path file) throws IOException {
        if (!entries.containsKey(folder + "/version") && !folder.isEmpty()) {
            entries.put(folder + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry ze = new ZipEntry(e.getKey());
                if (!deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    ze.setMethod(ZipEntry.STORED);
                    ze.setSize(e.getValue().length);
                    ze.setCompressedSize(e.getValue().length);
                    ze.setCrc(crc.getValue());
                }
                zip.putNextEntry(ze);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }
}
