package io.vidrd.demo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidrd.engine.model.ModelDirectory;
import io.vidrd.runtime.checkpoint.Checkpoints;
import io.vidrd.runtime.checkpoint.SafetensorsWriter;
import io.vidrd.runtime.checkpoint.StateDict;
import io.vidrd.runtime.checkpoint.TensorRecord;
import io.vidrd.vae.model.VaeConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTrainingTest {

    private static final String[] SMALL = {"--spec", "tiny", "--vae-steps", "2", "--temporal-steps", "2",
        "--unet-steps", "3", "--vae-batch", "1", "--unet-batch", "2", "--checkpoint-every", "2", "--seed", "5"};

    @Test
    void aRunSplitOverTwoCallsEndsWithTheWeightsOfOneCall(@TempDir Path tmp) throws Exception {
        Path whole = tmp.resolve("whole");
        Path split = tmp.resolve("split");
        assertEquals(TrainingState.Stage.DONE, run(whole).stage());
        TrainingState first = run(split, "--max-steps", "5");
        assertEquals(TrainingState.Stage.UNET, first.stage());
        assertEquals(1, first.step());
        assertEquals(2, first.cursor(), "data cursor after one U-Net step of 2 clips");
        assertEquals(TrainingState.Stage.DONE, run(split).stage());

        Path a = whole.resolve("checkpoint/model");
        Path b = split.resolve("checkpoint/model");
        for (String file : List.of(DemoModelWriter.CHECKPOINT,
                ModelDirectory.SD_FOLDER + "/text_encoder/" + DemoModelWriter.TEXT_WEIGHTS,
                ModelDirectory.SD_FOLDER + "/vae/diffusion_pytorch_model.safetensors",
                "vae_finetuned/diffusion_pytorch_model.safetensors")) {
            assertSameTensors(a.resolve(file), b.resolve(file));
        }
        double factor = VaeConfig.read(a.resolve("vae_finetuned/config.json")).scalingFactor();
        assertNotEquals(VaeConfig.DEFAULT_SCALING_FACTOR, factor);
        assertEquals(factor, VaeConfig.read(a.resolve(ModelDirectory.SD_FOLDER + "/vae/config.json")).scalingFactor());
        List<String> rows = Files.readAllLines(whole.resolve("loss.csv"));
        assertEquals(1 + 2 + 2 + 3, rows.size(), String.join("\n", rows));
        assertTrue(rows.get(rows.size() - 1).startsWith("unet,3,"), rows.get(rows.size() - 1));
        assertTrue(Files.notExists(whole.resolve("checkpoint.next")) && Files.notExists(whole.resolve("checkpoint.old")));
        // the U-Net stage's weight average travels with the checkpoint and ships through ModelExport
        Path average = whole.resolve("checkpoint").resolve(CheckpointFolder.AVERAGE);
        try (StateDict dict = Checkpoints.open(average)) {
            assertTrue(dict.keys().stream().anyMatch(k -> k.startsWith("unet.")), dict.keys().toString());
            assertTrue(dict.keys().stream().anyMatch(k -> k.startsWith("text_model.")), dict.keys().toString());
        }
        ModelExport.export(a, tmp.resolve("shipped"), average);
        assertTrue(Files.isRegularFile(tmp.resolve("shipped").resolve(DemoModelWriter.CHECKPOINT)));
    }

    @Test
    void aFrozenTextEncoderStaysAsItIsWhileTheUNetTrainsAndItsSavedStateIsDropped(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        // the first U-Net step trains the text encoder too: the moments and the average hold text tensors
        assertEquals(TrainingState.Stage.UNET, run(out, "--max-steps", "5").stage());
        Path model = out.resolve("checkpoint/model");
        Path text = model.resolve(ModelDirectory.SD_FOLDER + "/text_encoder/" + DemoModelWriter.TEXT_WEIGHTS);
        Map<String, float[]> textBefore = tensors(text);
        Map<String, float[]> unetBefore = tensors(model.resolve(DemoModelWriter.CHECKPOINT));

        assertEquals(TrainingState.Stage.DONE, run(out, "--text", "frozen").stage());
        Map<String, float[]> textAfter = tensors(text);
        assertEquals(textBefore.keySet(), textAfter.keySet());
        textBefore.forEach((k, v) -> assertArrayEquals(v, textAfter.get(k), 0f, k));
        Map<String, float[]> unetAfter = tensors(model.resolve(DemoModelWriter.CHECKPOINT));
        assertTrue(unetBefore.keySet().stream().anyMatch(k -> !Arrays.equals(unetBefore.get(k), unetAfter.get(k))),
                "the U-Net trained");
        try (StateDict dict = Checkpoints.open(out.resolve("checkpoint").resolve(CheckpointFolder.AVERAGE))) {
            assertTrue(dict.keys().stream().noneMatch(k -> k.startsWith("text_model.")), dict.keys().toString());
            assertTrue(dict.keys().stream().anyMatch(k -> k.startsWith("unet.")), dict.keys().toString());
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> TrainingOptions.parse("--out", "x", "--text", "fixed"));
        assertTrue(bad.getMessage().contains("--text must be trained or frozen"), bad.getMessage());
    }

    @Test
    void aDivergedStepStopsTheRunWithoutSavingIt(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        assertEquals(TrainingState.Stage.UNET, run(out, "--max-steps", "4").stage());
        // a U-Net weight turned NaN: every loss of the stage is NaN from its first step
        Path unet = out.resolve("checkpoint/model").resolve(DemoModelWriter.CHECKPOINT);
        Map<String, float[]> weights = tensors(unet);
        SafetensorsWriter w = new SafetensorsWriter();
        try (StateDict dict = Checkpoints.open(unet)) {
            for (String key : dict.keys()) {
                float[] v = weights.get(key);
                if (key.equals("unet.conv_in.bias")) {
                    Arrays.fill(v, Float.NaN);
                }
                w.putFloats(key, dict.tensors().get(key).shape(), v);
            }
        }
        w.write(unet);
        String stateBefore = Files.readString(out.resolve("checkpoint").resolve(TrainingState.FILE));

        IllegalStateException diverged = assertThrows(IllegalStateException.class, () -> run(out));
        assertTrue(diverged.getMessage().startsWith("UNET step 1: the loss is NaN, the training diverged"),
                diverged.getMessage());
        assertEquals(stateBefore, Files.readString(out.resolve("checkpoint").resolve(TrainingState.FILE)));
        assertTrue(Files.notExists(out.resolve("checkpoint").resolve(CheckpointFolder.OPTIMIZER)));
    }

    private static Map<String, float[]> tensors(Path file) throws Exception {
        Map<String, float[]> out = new java.util.TreeMap<>();
        try (StateDict dict = Checkpoints.open(file)) {
            for (String key : dict.keys()) {
                out.put(key, floats(dict.tensors().get(key)));
            }
        }
        return out;
    }

    /**
     * Equal up to a tenth of the learning rate: CPU kernels may round differently with the data's
     * memory alignment, and Adam's early steps (lr · m̂/√v̂ with small v̂) carry such differences
     * into the weights (seen: 2e-5 after 7 steps); a resume that lost the data cursor or the
     * optimiser state moves weights by about the learning rate (1e-3) per step.
     */
    private static void assertSameTensors(Path expected, Path actual) throws Exception {
        double worst = 0;
        String where = "";
        try (StateDict x = Checkpoints.open(expected); StateDict y = Checkpoints.open(actual)) {
            assertEquals(x.keys(), y.keys());
            for (String key : x.keys()) {
                float[] u = floats(x.tensors().get(key));
                float[] v = floats(y.tensors().get(key));
                for (int i = 0; i < u.length; i++) {
                    double d = Math.abs(u[i] - v[i]);
                    if (d > worst) {
                        worst = d;
                        where = key + "[" + i + "]";
                    }
                }
            }
        }
        System.out.println(expected.getFileName() + ": largest difference " + worst + " at " + where);
        assertTrue(worst < 1e-4, expected.getFileName() + ": " + worst + " at " + where);
    }

    private static float[] floats(TensorRecord r) throws Exception {
        java.nio.FloatBuffer b = r.read().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    private static TrainingState run(Path out, String... extra) throws Exception {
        String[] args = new String[SMALL.length + 2 + extra.length];
        System.arraycopy(SMALL, 0, args, 0, SMALL.length);
        args[SMALL.length] = "--out";
        args[SMALL.length + 1] = out.toString();
        System.arraycopy(extra, 0, args, SMALL.length + 2, extra.length);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        TrainingState s = DemoTraining.run(TrainingOptions.parse(args), new PrintStream(console, true, "UTF-8"));
        String text = console.toString("UTF-8");
        assertTrue(!text.contains("WARNING"), text);
        return s;
    }
}
