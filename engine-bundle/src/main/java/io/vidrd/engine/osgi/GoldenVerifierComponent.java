package io.vidrd.engine.osgi;

import ai.djl.ndarray.NDManager;
import io.vidrd.engine.golden.EngineGoldenRunner;
import io.vidrd.runtime.ComputeTarget;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.codec.LatentCodec;
import io.vidrd.runtime.codec.LatentCodecFactory;
import io.vidrd.runtime.codec.OwnedLatentCodec;
import io.vidrd.runtime.golden.CaseResult;
import io.vidrd.runtime.golden.GoldenVerification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The engine part of {@code vidrd verify-golden}: a {@code Function<Map, List<Map>>} service (see
 * {@link GoldenVerification} for the contract) that runs every engine case of the golden folder it
 * is given through {@link EngineGoldenRunner}, on the CPU in fp32, the pipelines' videos decoded by
 * a {@link LatentCodec#KIND_VIDRD vidrd} codec that the {@link LatentCodecFactory} opens for the
 * same folder (the decoder the official pipeline uses). Stateless: each call loads and frees its
 * own models. Needs no configuration, so it works without a configured model.
 */
@Component(service = Function.class, property = {
    GoldenVerification.PROP_TOOL + "=" + GoldenVerification.TOOL,
    GoldenVerification.PROP_PART + "=engine"})
public final class GoldenVerifierComponent implements Function<Map<String, Object>, List<Map<String, Object>>> {

    private final LatentCodecFactory codecs;

    /** @param codecs opens the decoder for the pipelines' videos */
    @Activate
    public GoldenVerifierComponent(@Reference(name = "codecs") LatentCodecFactory codecs) {
        this.codecs = codecs;
    }

    @Override
    public List<Map<String, Object>> apply(Map<String, Object> args) {
        Path dir = GoldenVerification.dir(args);
        Consumer<String> progress = GoldenVerification.progress(args);
        List<CaseResult> results = new ArrayList<>();
        ComputeTarget cpu = ComputeTarget.cpu();
        OwnedLatentCodec decoder = null;
        try {
            decoder = codecs.open(LatentCodec.KIND_VIDRD, dir, cpu.deviceName(), cpu.precision().shortName());
        } catch (IOException | RuntimeException e) {
            // the engine cases still run; the videos then fail with the runner's "no latent codec"
            progress.accept("cannot open the '" + LatentCodec.KIND_VIDRD + "' codec for the videos: " + e.getMessage());
        }
        try (NDManager root = Torch.newManager(cpu.device());
                EngineGoldenRunner runner = EngineGoldenRunner.open(dir, root, decoder)) {
            for (String c : runner.engineCases()) {
                progress.accept("running " + c);
                CaseResult r = runner.run(c);
                progress.accept(GoldenVerification.progressLine(r));
                results.add(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (decoder != null) {
                decoder.close();
            }
        }
        return GoldenVerification.toMaps(results);
    }
}
