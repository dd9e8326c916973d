package io.vidrd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void laterSourcesWin() throws Exception {
        Path file = dir.resolve("vidrd.properties");
        Files.writeString(file, "vidrd.model.dir=/from/file\nvidrd.device=gpu:1\nvidrd.ui.port=9000\n");
        Settings s = Settings.resolve(Map.of("device", "cpu"), Map.of("VIDRD_MODEL_DIR", "/from/env"), Optional.of(file));
        assertEquals("/from/env", s.get(Setting.MODEL_DIR).orElseThrow());
        assertEquals("cpu", s.get(Setting.DEVICE).orElseThrow());
        assertEquals("9000", s.get(Setting.UI_PORT).orElseThrow());
        assertEquals("fp32", s.get(Setting.DTYPE).orElseThrow(), "default");
        assertEquals(Map.of("model.dir", "/from/env", "device", "cpu", "dtype", "fp32", "codec.target", "(vidrd.vae.kind=vidrd)"),
                s.byPid().get("io.vidrd.engine"));
        assertEquals("9000", s.byPid().get("io.vidrd.ui").get("port"));
        assertEquals(Map.of("model.dir", "/from/env", "device", "cpu", "dtype", "fp32"), s.byPid().get("io.vidrd.vae.vidrd"),
                "the selected codec is configured with the model");
    }

    @Test
    void theBuiltInModelIsTheDefaultAndAnyConfiguredModelWins() throws Exception {
        Path home = dir.resolve("home");
        assertEquals(Optional.empty(), BuiltInModel.in(home), "a distribution without the demo model");
        Path demo = Files.createDirectories(home.resolve(BuiltInModel.FOLDER));
        Files.writeString(demo.resolve("ModelT2V.safetensors"), "");
        Optional<Path> builtIn = BuiltInModel.in(home);
        assertEquals(Optional.of(demo), builtIn);

        Settings none = Settings.resolve(Map.of(), Map.of(), Optional.empty(), builtIn);
        assertEquals(demo.toString(), none.get(Setting.MODEL_DIR).orElseThrow());
        assertEquals(demo.toString(), none.byPid().get("io.vidrd.engine").get("model.dir"));
        Settings env = Settings.resolve(Map.of(), Map.of("VIDRD_MODEL_DIR", "/from/env"), Optional.empty(), builtIn);
        assertEquals("/from/env", env.get(Setting.MODEL_DIR).orElseThrow());
        Settings cli = Settings.resolve(Map.of("model", "/from/cli"), Map.of(), Optional.empty(), builtIn);
        assertEquals("/from/cli", cli.get(Setting.MODEL_DIR).orElseThrow());
    }

    @Test
    void withoutAModelTheEngineIsNotConfigured() throws Exception {
        Settings s = Settings.resolve(Map.of("device", "cpu"), Map.of(), Optional.empty());
        assertEquals(null, s.byPid().get("io.vidrd.engine"));
        assertEquals("8080", s.byPid().get("io.vidrd.ui").get("port"));
    }

    @Test
    void unknownKeyInFileIsRefusedWithItsName() throws Exception {
        Path file = dir.resolve("vidrd.properties");
        Files.writeString(file, "vidrd.modle.dir=/x\n");
        UsageException e = assertThrows(UsageException.class, () -> Settings.resolve(Map.of(), Map.of(), Optional.of(file)));
        assertTrue(e.getMessage().startsWith("unknown setting 'vidrd.modle.dir' in " + file), e.getMessage());
    }

    @Test
    void badValuesNameKeyValueSourceAndAllowed() throws Exception {
        UsageException cli = assertThrows(UsageException.class, () -> Settings.resolve(Map.of("dtype", "int4"), Map.of(), Optional.empty()));
        assertEquals("bad value 'int4' for vidrd.dtype (from option --dtype); allowed: fp32, fp16 or bf16 (fp16/bf16 on a GPU only)",
                cli.getMessage());
        UsageException env = assertThrows(UsageException.class, () -> Settings.resolve(Map.of(), Map.of("VIDRD_UI_PORT", "70000"), Optional.empty()));
        assertTrue(env.getMessage().contains("from environment variable VIDRD_UI_PORT"), env.getMessage());
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "vidrd.vae.kind=fancy\n");
        UsageException f = assertThrows(UsageException.class, () -> Settings.resolve(Map.of(), Map.of(), Optional.of(file)));
        assertTrue(f.getMessage().contains("'fancy' for vidrd.vae.kind (from " + file + ")"), f.getMessage());
        UsageException missing = assertThrows(UsageException.class,
                () -> Settings.resolve(Map.of(), Map.of(), Optional.of(dir.resolve("nope.properties"))));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void reducedPrecisionIsRefusedUpFrontWhereTheEngineWouldRefuseIt() throws Exception {
        UsageException cpu = assertThrows(UsageException.class,
                () -> Settings.resolve(Map.of("dtype", "bf16", "device", "cpu"), Map.of(), Optional.empty()));
        assertEquals("dtype 'bf16' needs a CUDA device (--device gpu:0); the CPU runs fp32 only", cpu.getMessage());
        assertThrows(UsageException.class, () -> Settings.resolve(Map.of("dtype", "float16"), Map.of(), Optional.empty()),
                "the default device is the CPU");
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("vidrd.torch.bf16") == null);
        UsageException undeclared = assertThrows(UsageException.class,
                () -> Settings.resolve(Map.of("dtype", "bfloat16", "device", "gpu:0"), Map.of(), Optional.empty()));
        assertTrue(undeclared.getMessage().contains("-Dvidrd.torch.bf16=true or VIDRD_TORCH_BF16=true"),
                undeclared.getMessage());
        Settings declared = Settings.resolve(Map.of("dtype", "bf16", "device", "gpu:0", "model", "/m"),
                Map.of("VIDRD_TORCH_BF16", "true"), Optional.empty());
        assertEquals("bf16", declared.byPid().get("io.vidrd.engine").get("dtype"));
        assertEquals("fp16", Settings.resolve(Map.of("dtype", "fp16", "device", "gpu:0"), Map.of(), Optional.empty())
                .get(Setting.DTYPE).orElseThrow());
    }
}
