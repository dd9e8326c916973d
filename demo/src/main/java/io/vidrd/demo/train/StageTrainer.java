package io.vidrd.demo.train;

import ai.djl.ndarray.NDArray;
import io.vidrd.demo.data.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** One stage of {@link DemoTraining}: its model, objective and what it writes. */
interface StageTrainer extends AutoCloseable {

    /**
     * @param batch the step's clips
     * @param random the step's stream
     * @return the losses (total first); gradients are left on {@link #trainable()}
     */
    float[] backward(List<Sample> batch, SplittableRandom random);

    /** @return the parameters this stage trains */
    Map<String, NDArray> trainable();

    /**
     * @param model a model directory to write the current weights into
     * @throws IOException on write failure
     */
    void save(Path model) throws IOException;

    /**
     * Writes the final weights and whatever the next stage starts from.
     *
     * @param model the model directory
     * @return the latent scaling factor when this stage sets it, else 0
     * @throws IOException on read or write failure
     */
    default double complete(Path model) throws IOException {
        save(model);
        return 0;
    }

    @Override
    void close();
}
