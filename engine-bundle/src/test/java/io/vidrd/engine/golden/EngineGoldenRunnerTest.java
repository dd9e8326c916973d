package io.vidrd.engine.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.vidrd.runtime.ComputeTarget;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.golden.CaseResult;
import io.vidrd.runtime.golden.TensorResult;
import io.vidrd.vae.codec.CodecKind;
import io.vidrd.vae.codec.VaeLatentCodec;
import io.vidrd.vae.model.VaeFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's parity with the golden set, through the same runner {@code vidrd verify-golden}
 * uses: every tensor of every engine case within the tolerances of {@code golden.json}, the
 * pipelines' videos decoded by the real {@code vidrd} codec (a test-only dependency).
 */
class EngineGoldenRunnerTest {

    private static NDManager root;
    private static VaeLatentCodec vidrd;
    private static EngineGoldenRunner runner;

    @BeforeAll
    static void open() throws Exception {
        Path dir = GoldenFiles.dir();
        root = Torch.newManager(Device.cpu());
        vidrd = VaeLatentCodec.open(CodecKind.VIDRD, VaeFiles.in(CodecKind.VIDRD.vaeFolder(dir)), ComputeTarget.cpu(),
                0, "test");
        runner = EngineGoldenRunner.open(dir, root, vidrd);
    }

    @AfterAll
    static void close() {
        if (runner != null) {
            runner.close();
        }
        if (vidrd != null) {
            vidrd.close();
        }
        if (root != null) {
            root.close();
        }
    }

    @Test
    void listsTheEngineCasesOfTheFolder() {
        assertEquals(List.of("tokenizer", "text_encoder", "unet", "unet_f1", "pipe_single", "pipe_long"),
                runner.engineCases());
    }

    @Test
    void tokenizer() {
        assertPasses(runner.run("tokenizer"), 2);
    }

    @Test
    void textEncoder() {
        assertPasses(runner.run("text_encoder"), 1);
    }

    @Test
    void unet() {
        // the text states and the noise prediction
        assertPasses(runner.run("unet"), 2);
        assertPasses(runner.run("unet_f1"), 1);
    }

    @Test
    void pipeSingle() {
        // timesteps, prompt_embeds, draws, videos, 4 steps x 4 tensors, final latents
        assertPasses(runner.run("pipe_single"), 4 + 16 + 1);
    }

    @Test
    void pipeLong() {
        // timesteps, prompt_embeds, draws, videos, 3 clips x (5 steps x 4 tensors + final latents)
        assertPasses(runner.run("pipe_long"), 4 + 3 * 21);
    }

    @Test
    void videosFailWithoutADecoder() throws Exception {
        try (EngineGoldenRunner bare = EngineGoldenRunner.open(GoldenFiles.dir(), root, null)) {
            CaseResult r = bare.run("pipe_single");
            assertEquals(List.of("pipe_single.videos"), r.failures().stream().map(TensorResult::name).toList());
            assertTrue(r.failures().get(0).detail().contains("no latent codec"), r.failures().get(0).detail());
        }
    }

    private static void assertPasses(CaseResult result, int expectedResults) {
        result.tensors().forEach(t -> System.out.println("[golden] " + t));
        System.out.printf("[golden] %s: %s in %.2f s%n", result.name(), result.passed() ? "PASS" : "FAIL",
                result.seconds());
        List<TensorResult> failures = result.failures();
        assertTrue(failures.isEmpty(), () -> result.name() + " failed: " + failures);
        assertEquals(expectedResults, result.tensors().size(), "number of checks of " + result.name());
    }
}
