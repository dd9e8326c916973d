package io.vidrd.vae.model;

import ai.djl.ndarray.NDManager;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.checkpoint.Checkpoints;
import io.vidrd.runtime.checkpoint.StateDict;
import io.vidrd.runtime.nn.WeightBinding;
import io.vidrd.runtime.nn.WeightBindingException;
import java.io.IOException;

/**
 * Builds an {@link AutoencoderKl} from a VAE folder, strictly: the module is built from
 * {@code config.json} and every tensor it needs must be in the weights file with its shape, and
 * every tensor of the file must be used. So a configuration that does not describe its weights
 * (say {@code add_temp_conv} false for the fine-tuned VAE) fails, naming the keys. Stateless.
 */
public final class VaeLoader {

    private VaeLoader() {}

    /**
     * @param files config and weights
     * @param manager where the weights go (the caller closes it, also when this throws)
     * @param precision the weights' precision
     * @return the bound model
     * @throws IOException if a file is missing, unreadable, truncated, or the config is unsupported;
     *     the message names the file
     * @throws WeightBindingException if the weights do not fit the configuration; the message names
     *     both files and lists every missing, unexpected and mis-shaped key
     */
    public static AutoencoderKl load(VaeFiles files, NDManager manager, Precision precision) throws IOException {
        VaeConfig config = VaeConfig.read(files.configFile());
        try (StateDict dict = Checkpoints.open(files.weightsFile())) {
            return bind(dict, config, files, manager, precision);
        } catch (java.io.UncheckedIOException e) {
            // a tensor whose bytes cannot be read (truncated file): the cause names file and key
            throw e.getCause();
        }
    }

    private static AutoencoderKl bind(StateDict dict, VaeConfig config, VaeFiles files, NDManager manager,
            Precision precision) {
        String what = "VAE " + config.className() + " (configuration " + files.configFile() + ", add_temp_conv="
                + config.addTempConv() + ")";
        WeightBinding binding = WeightBinding.builder(what, manager, precision).source(dict, "").fusedKernels(true).build();
        AutoencoderKl model = new AutoencoderKl(binding.root(), config);
        binding.finish();
        return model;
    }
}
