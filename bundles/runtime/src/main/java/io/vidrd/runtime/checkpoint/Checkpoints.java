package io.vidrd.runtime.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens a checkpoint file by its content: safetensors or a PyTorch zip checkpoint. */
public final class Checkpoints {

    private Checkpoints() {}

    /**
     * Opens the state dict of a checkpoint. The format is recognised by the file's first bytes
     * (a zip signature: PyTorch; a length and a JSON header: safetensors), falling back to the
     * extension ({@code .safetensors}) for files too damaged to recognise. For a PyTorch file
     * whose top-level object is a dict holding a {@code "state_dict"} entry (Lightning
     * checkpoints such as {@code ModelT2V.pth}), that entry is the state dict; otherwise the
     * top-level dict is.
     *
     * @param file a {@code .safetensors}, {@code .pth}, {@code .bin} or {@code .ckpt} file
     * @return the state dict, open until closed
     * @throws CheckpointException if the file is unreadable, truncated, or not a checkpoint
     */
    public static StateDict open(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(16);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such file", e);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + e, e);
        }
        if (FileSignatures.isZip(head)) {
            return PyTorchCheckpointReader.openStateDict(file);
        }
        if (FileSignatures.isSafetensors(head) || file.getFileName().toString().endsWith(".safetensors")) {
            return SafetensorsReader.open(file);
        }
        return PyTorchCheckpointReader.openStateDict(file);
    }
}
