package io.vidrd.runtime.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** Reads PyTorch zip checkpoints ({@code .pth}, {@code .bin}). */
public final class PyTorchCheckpointReader {
    private PyTorchCheckpointReader() {}

    /**
     * @param file a PyTorch zip checkpoint
     * @return its state dict
     * @throws IOException always, until implemented
     */
    public static StateDict openStateDict(Path file) throws IOException {
        throw new CheckpointException(file, "PyTorch checkpoints are not readable yet");
    }
}
