package io.vidrd.demo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidrd.engine.model.ModelDirectory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionAttributeTrainingTest {

    @Test
    void theTextEncoderLearnsEveryCaptionSlotAndTheUNetIsLeftAlone(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("model");
        DemoModelWriter.write(dir, DemoModelSpec.tiny(), 5);
        Path text = ModelDirectory.of(dir).textEncoderWeights();
        byte[] unetBefore = Files.readAllBytes(dir.resolve(DemoModelWriter.CHECKPOINT));
        byte[] textBefore = Files.readAllBytes(text);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        float[] accuracy = CaptionAttributeTraining.train(dir, 150, 64, 3e-3f, 1,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        System.out.print(log.toString(StandardCharsets.UTF_8));
        System.out.println("held-out accuracy (colour, shape, motion, background): " + Arrays.toString(accuracy));
        // chance is 1/8, 1/4, 1/11 and 1/5; the direction words are in the motion slot
        assertTrue(accuracy[0] > 0.9f && accuracy[1] > 0.9f && accuracy[2] > 0.9f && accuracy[3] > 0.9f,
                Arrays.toString(accuracy));
        assertArrayEquals(unetBefore, Files.readAllBytes(dir.resolve(DemoModelWriter.CHECKPOINT)), "U-Net file untouched");
        assertFalse(Arrays.equals(textBefore, Files.readAllBytes(text)), "text encoder rewritten");
    }
}
