package io.vidrd.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Truncated and non-checkpoint files give a CheckpointException naming the file. */
class BrokenFileTest {

    @TempDir
    Path dir;

    private static CheckpointException fails(Path file, Executable open, String... expected) {
        CheckpointException e = assertThrows(CheckpointException.class, open, file.toString());
        String m = e.getMessage();
        assertTrue(m.contains(file.toString()), "message does not name the file: " + m);
        for (String s : expected) {
            assertTrue(m.toLowerCase().contains(s.toLowerCase()), "message lacks '" + s + "': " + m);
        }
        return e;
    }

    private Path copyPrefix(Path source, long bytes, String name) throws IOException {
        byte[] all = Files.readAllBytes(source);
        return Files.write(dir.resolve(name), Arrays.copyOf(all, (int) bytes));
    }

    @Test
    void truncatedPytorchCheckpoints() throws IOException {
        Path pth = Golden.file("ModelT2V.pth");
        long size = Files.size(pth);
        for (long n : new long[] {1, 3, 30, 200, size / 2, size - 22, size - 1}) {
            Path cut = copyPrefix(pth, n, "cut-" + n + ".pth");
            fails(cut, () -> PyTorchCheckpointReader.openStateDict(cut));
            fails(cut, () -> Checkpoints.open(cut));
        }
        Path cut = copyPrefix(pth, size / 2, "half.pth");
        fails(cut, () -> PyTorchCheckpointReader.open(cut), "truncated");
    }

    @Test
    void notCheckpoints() throws IOException {
        Path empty = Files.write(dir.resolve("empty.pth"), new byte[0]);
        fails(empty, () -> PyTorchCheckpointReader.openStateDict(empty), "empty");
        fails(empty, () -> Checkpoints.open(empty), "empty");

        Path text = Files.writeString(dir.resolve("notes.pth"), "this is just some text\n");
        fails(text, () -> PyTorchCheckpointReader.openStateDict(text), "not a PyTorch checkpoint");
        fails(text, () -> Checkpoints.open(text), "not a PyTorch checkpoint");

        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        noise[0] = 0x13;
        Path random = Files.write(dir.resolve("random.bin"), noise);
        fails(random, () -> PyTorchCheckpointReader.openStateDict(random), "not a PyTorch checkpoint");
        fails(random, () -> Checkpoints.open(random));

        Path legacy = Files.write(dir.resolve("legacy.pt"), new PickleWriter().proto(2).integer(1).stop().bytes());
        fails(legacy, () -> PyTorchCheckpointReader.openStateDict(legacy), "legacy");

        Path missing = dir.resolve("missing.pth");
        fails(missing, () -> PyTorchCheckpointReader.openStateDict(missing), "no such file");
        fails(missing, () -> Checkpoints.open(missing), "no such file");

        Path safetensors = Golden.file("ModelT2V.safetensors");
        fails(safetensors, () -> PyTorchCheckpointReader.openStateDict(safetensors), "safetensors");
    }

    @Test
    void zipsThatAreNotCheckpoints() throws IOException {
        Path noPickle = new TorchZip("archive").entry("readme.txt", "hi".getBytes(StandardCharsets.US_ASCII))
                .write(dir.resolve("nopickle.pth"));
        fails(noPickle, () -> PyTorchCheckpointReader.openStateDict(noPickle), "data.pkl");
        fails(noPickle, () -> Checkpoints.open(noPickle), "data.pkl");

        Path emptyZip = dir.resolve("empty-zip.pth");
        try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(emptyZip))) {
            z.finish();
        }
        fails(emptyZip, () -> PyTorchCheckpointReader.openStateDict(emptyZip), "data.pkl");

        byte[] pickle = new PickleWriter().proto(2).emptyDict().mark().str("w")
                .tensor("FloatStorage", "0", 1).setItems().stop().bytes();
        Path cutPickle = new TorchZip("archive").pickle(Arrays.copyOf(pickle, pickle.length - 6))
                .storage("0", new byte[4]).write(dir.resolve("cut-pickle.pth"));
        fails(cutPickle, () -> PyTorchCheckpointReader.openStateDict(cutPickle), "data.pkl");

        // a length field promising more bytes than data.pkl has: refused before allocating
        byte[] huge = new PickleWriter().proto(2).raw('X').le(0x7ffffff0L, 4).raw('a').stop().bytes();
        Path hugeString = new TorchZip("archive").pickle(huge).write(dir.resolve("huge.pth"));
        fails(hugeString, () -> PyTorchCheckpointReader.openStateDict(hugeString), "bytes");

        Path garbage = new TorchZip("archive").pickle("not a pickle".getBytes(StandardCharsets.US_ASCII))
                .write(dir.resolve("garbage.pth"));
        fails(garbage, () -> PyTorchCheckpointReader.openStateDict(garbage), "data.pkl");

        Path notDict = new TorchZip("archive").pickle(new PickleWriter().proto(2).str("x").stop().bytes())
                .write(dir.resolve("str.pth"));
        fails(notDict, () -> PyTorchCheckpointReader.openStateDict(notDict), "not a dict");

        Path intValue = new TorchZip("archive").pickle(new PickleWriter().proto(2).emptyDict().str("n").integer(3)
                .setItem().stop().bytes()).write(dir.resolve("int.pth"));
        fails(intValue, () -> PyTorchCheckpointReader.openStateDict(intValue), "'n'", "not a tensor");
    }

    @Test
    void brokenSafetensors() throws IOException {
        Path st = Golden.file("ModelT2V.safetensors");
        long size = Files.size(st);
        for (long n : new long[] {0, 4, 9, 100, size / 2, size - 1}) {
            Path cut = copyPrefix(st, n, "cut-" + n + ".safetensors");
            fails(cut, () -> SafetensorsReader.open(cut));
            fails(cut, () -> Checkpoints.open(cut));
        }
        byte[] noise = new byte[4096];
        new Random(2).nextBytes(noise);
        Path random = Files.write(dir.resolve("random.safetensors"), noise);
        fails(random, () -> SafetensorsReader.open(random), "not a safetensors file");
        fails(random, () -> Checkpoints.open(random));
    }
}
