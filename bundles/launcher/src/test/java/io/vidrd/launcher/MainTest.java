package io.vidrd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Usage errors are answered before any container starts, with exit code 2. */
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Path.of("does-not-exist"), Map.of());
        return main.run(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noCommandPrintsUsageAndExits2() {
        assertEquals(2, run());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage: vidrd COMMAND"));
    }

    @Test
    void helpExits0() {
        assertEquals(0, run("help"));
        assertEquals(0, run("info", "--help"));
    }

    @Test
    void unknownCommandOptionOrValueExits2WithAMessage() {
        assertEquals(2, run("frobnicate"));
        assertTrue(err().contains("unknown command 'frobnicate'"), err());
        assertEquals(2, run("info", "--colour", "red"));
        assertTrue(err().contains("unknown option '--colour' for 'info'"), err());
        assertEquals(2, run("info", "--device"));
        assertTrue(err().contains("option '--device' needs a value"), err());
        assertEquals(2, run("info", "--device", "tpu:0"));
        assertTrue(err().contains("bad value 'tpu:0' for vidrd.device"), err());
        assertEquals(2, run("info", "extra"));
        assertTrue(err().contains("'info' takes no arguments"), err());
    }

    @Test
    void generateWithoutAnyModelSaysHowToGiveOne() {
        // a home without the built-in demo model (the distribution ships one in models/demo)
        assertEquals(2, run("generate", "x", "-o", "target/no-model.mp4"));
        assertTrue(err().contains("no model: give --model DIR"), err());
    }

    @Test
    void missingDistributionIsAFailureNotACrash() {
        assertEquals(1, run("info"));
        assertTrue(err().contains("bundle folder"), err());
    }
}
