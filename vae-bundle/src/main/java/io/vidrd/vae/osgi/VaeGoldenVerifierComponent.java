package io.vidrd.vae.osgi;

import io.vidrd.runtime.ComputeTarget;
import io.vidrd.runtime.golden.CaseResult;
import io.vidrd.runtime.golden.GoldenVerification;
import io.vidrd.vae.golden.VaeGoldenRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.osgi.service.component.annotations.Component;

/**
 * The VAE part of {@code vidrd verify-golden}: a {@code Function<Map, List<Map>>} service (see
 * {@link GoldenVerification} for the contract) that runs every VAE case of the golden folder it is
 * given through {@link VaeGoldenRunner}, on the CPU in fp32, once per weights format the folder
 * holds (safetensors and PyTorch {@code .bin}), so both readers are checked. Stateless: each call
 * loads and frees its own codecs.
 */
@Component(service = Function.class, property = {
    GoldenVerification.PROP_TOOL + "=" + GoldenVerification.TOOL,
    GoldenVerification.PROP_PART + "=vae"})
public final class VaeGoldenVerifierComponent implements Function<Map<String, Object>, List<Map<String, Object>>> {

    @Override
    public List<Map<String, Object>> apply(Map<String, Object> args) {
        Path dir = GoldenVerification.dir(args);
        Consumer<String> progress = GoldenVerification.progress(args);
        List<String> formats = VaeGoldenRunner.weightFormats(dir);
        List<String> runs = new ArrayList<>(formats);
        if (runs.isEmpty()) {
            // mixed formats across the folders: the codecs' default choice still checks every case
            runs.add(null);
        }
        List<CaseResult> results = new ArrayList<>();
        for (String weights : runs) {
            try (VaeGoldenRunner runner = VaeGoldenRunner.open(dir, ComputeTarget.cpu(), runs.size() > 1 ? weights : null)) {
                for (String c : runner.vaeCases()) {
                    progress.accept("running " + c + (weights == null ? "" : " from " + weights));
                    CaseResult r = runner.run(c);
                    progress.accept(GoldenVerification.progressLine(r));
                    results.add(r);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return GoldenVerification.toMaps(results);
    }
}
