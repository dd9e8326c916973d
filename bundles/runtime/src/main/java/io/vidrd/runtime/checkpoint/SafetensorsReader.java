package io.vidrd.runtime.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code .safetensors} files: an 8-byte little-endian header length, a JSON header with
 * dtype, shape and byte range per tensor, then raw little-endian data. Tensors are read on demand
 * from the open file.
 */
public final class SafetensorsReader {

    private static final long MAX_HEADER = 100L * 1024 * 1024;

    private SafetensorsReader() {}

    /**
     * @param file a safetensors file
     * @return its tensors, file kept open until the state dict is closed
     * @throws CheckpointException if the file is not a valid safetensors file
     */
    public static StateDict open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size < 8) {
                throw new CheckpointException(file, "not a safetensors file (only " + size + " bytes)");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, len, 0, file);
            long headerLength = len.getLong(0);
            if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
                throw new CheckpointException(file, "not a safetensors file (header length " + headerLength
                        + " does not fit a file of " + size + " bytes)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8, file);
            JsonObject json;
            try {
                JsonElement parsed = JsonParser.parseString(new String(header.array(), StandardCharsets.UTF_8));
                json = parsed.getAsJsonObject();
            } catch (JsonParseException | IllegalStateException e) {
                throw new CheckpointException(file, "not a safetensors file (header is not a JSON object)", e);
            }
            long dataStart = 8 + headerLength;
            Map<String, TensorRecord> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : json.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                tensors.put(e.getKey(), record(file, channel, dataStart, size, e.getKey(), e.getValue()));
            }
            return new SafetensorsStateDict(file, channel, Collections.unmodifiableMap(tensors));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static TensorRecord record(Path file, FileChannel channel, long dataStart, long fileSize,
            String key, JsonElement value) throws CheckpointException {
        try {
            JsonObject o = value.getAsJsonObject();
            TensorType type = type(file, key, o.get("dtype").getAsString());
            var shapeJson = o.getAsJsonArray("shape");
            long[] shape = new long[shapeJson.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeJson.get(i).getAsLong();
            }
            var offsets = o.getAsJsonArray("data_offsets");
            long begin = offsets.get(0).getAsLong();
            long end = offsets.get(1).getAsLong();
            long count = 1;
            for (long d : shape) {
                count = Math.multiplyExact(count, d);
            }
            if (end - begin != count * type.byteSize()) {
                throw new CheckpointException(file, "tensor '" + key + "': byte range " + begin + ".." + end
                        + " does not hold " + count + " " + type + " elements");
            }
            if (dataStart + end > fileSize) {
                throw new CheckpointException(file, "truncated: tensor '" + key + "' ends at byte "
                        + (dataStart + end) + " but the file has " + fileSize + " bytes");
            }
            return new FileRangeTensor(file, channel, key, type, shape, dataStart + begin);
        } catch (RuntimeException e) {
            throw new CheckpointException(file, "tensor '" + key + "': malformed header entry " + value, e);
        }
    }

    private static TensorType type(Path file, String key, String dtype) throws CheckpointException {
        switch (dtype) {
            case "F32": return TensorType.FLOAT32;
            case "F16": return TensorType.FLOAT16;
            case "BF16": return TensorType.BFLOAT16;
            case "F64": return TensorType.FLOAT64;
            case "I64": return TensorType.INT64;
            case "I32": return TensorType.INT32;
            case "I16": return TensorType.INT16;
            case "I8": return TensorType.INT8;
            case "U8": return TensorType.UINT8;
            case "BOOL": return TensorType.BOOL;
            default:
                throw new CheckpointException(file, "tensor '" + key + "': unsupported dtype " + dtype);
        }
    }

    static void readFully(FileChannel channel, ByteBuffer into, long position, Path file) throws IOException {
        long pos = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, pos);
            if (n < 0) {
                throw new CheckpointException(file, "truncated: unexpected end of file at byte " + pos);
            }
            pos += n;
        }
        into.flip();
    }

    /** A contiguous tensor stored at a byte offset of an open file. */
    private static final class FileRangeTensor implements TensorRecord {
        private final Path file;
        private final FileChannel channel;
        private final String key;
        private final TensorType type;
        private final long[] shape;
        private final long offset;

        FileRangeTensor(Path file, FileChannel channel, String key, TensorType type, long[] shape, long offset) {
            this.file = file;
            this.channel = channel;
            this.key = key;
            this.type = type;
            this.shape = shape;
            this.offset = offset;
        }

        @Override public String key() { return key; }
        @Override public TensorType type() { return type; }
        @Override public long[] shape() { return shape.clone(); }

        @Override
        public ByteBuffer read() throws IOException {
            long bytes = elementCount() * type.byteSize();
            if (bytes > Integer.MAX_VALUE - 8) {
                throw new CheckpointException(file, "tensor '" + key + "' has " + bytes + " bytes, more than one buffer holds");
            }
            ByteBuffer buf = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, buf, offset, file);
            return buf.order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static final class SafetensorsStateDict implements StateDict {
        private final Path file;
        private final FileChannel channel;
        private final Map<String, TensorRecord> tensors;

        SafetensorsStateDict(Path file, FileChannel channel, Map<String, TensorRecord> tensors) {
            this.file = file;
            this.channel = channel;
            this.tensors = tensors;
        }

        @Override public Path source() { return file; }
        @Override public Map<String, TensorRecord> tensors() { return tensors; }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a read-only channel: nothing to recover
            }
        }
    }
}
