package io.vidrd.engine.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.vidrd.runtime.Torch;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's parity with the golden set, through the same runner {@code vidrd verify-golden}
 * uses: every tensor of every engine case within the tolerances of {@code golden.json}.
 */
class EngineGoldenRunnerTest {

    private static NDManager root;
    private static EngineGoldenRunner runner;

    @BeforeAll
    static void open() throws Exception {
        root = Torch.newManager(Device.cpu());
        runner = EngineGoldenRunner.open(GoldenFiles.dir(), root);
    }

    @AfterAll
    static void close() {
        if (runner != null) {
            runner.close();
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
        // timesteps, prompt_embeds, draws, 4 steps x 4 tensors, final latents
        assertPasses(runner.run("pipe_single"), 3 + 16 + 1);
    }

    @Test
    void pipeLong() {
        // timesteps, prompt_embeds, draws, 3 clips x (5 steps x 4 tensors + final latents)
        assertPasses(runner.run("pipe_long"), 3 + 3 * 21);
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
