package io.vidrd.runtime.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** Opens a checkpoint file by its content: safetensors or a PyTorch zip checkpoint. */
public final class Checkpoints {

    private Checkpoints() {}

    /**
     * Opens the state dict of a checkpoint. For a PyTorch file whose top-level object is a dict
     * holding a {@code "state_dict"} entry (Lightning checkpoints such as {@code ModelT2V.pth}),
     * that entry is the state dict; otherwise the top-level dict is.
     *
     * @param file a {@code .safetensors}, {@code .pth}, {@code .bin} or {@code .ckpt} file
     * @return the state dict, open until closed
     * @throws CheckpointException if the file is unreadable, truncated, or not a checkpoint
     */
    public static StateDict open(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (name.endsWith(".safetensors")) {
            return SafetensorsReader.open(file);
        }
        return PyTorchCheckpointReader.openStateDict(file);
    }
}
