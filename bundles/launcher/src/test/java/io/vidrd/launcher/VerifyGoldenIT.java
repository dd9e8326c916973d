package io.vidrd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** Runs the built distribution's {@code bin/vidrd verify-golden} in its own process, as a user would. */
class VerifyGoldenIT {

    private static Path dist() {
        return Path.of(System.getProperty("vidrd.dist.dir", "target/vidrd"));
    }

    private static Path golden() {
        String dir = System.getProperty("vidrd.golden.dir");
        Path p = dir == null ? null : Path.of(dir);
        // a missing golden folder fails, like every other parity test: never a silent skip
        Assertions.assertTrue(p != null && Files.isRegularFile(p.resolve("golden.json")),
                "golden folder not found (set -Dvidrd.golden.dir)");
        return p;
    }

    private static Result vidrd(long timeoutSeconds, String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = dist().resolve("bin/vidrd").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("VIDRD_JAVA_OPTS", "-Xmx3g");
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), "vidrd did not finish");
        return new Result(p.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private record Result(int exit, String output) {}

    @Test
    void everyCaseOfTheGoldenFolderPasses() throws Exception {
        Path golden = golden();
        assertTrue(Files.isExecutable(dist().resolve("bin/vidrd")), "distribution not built at " + dist());
        Result r = vidrd(1800, "verify-golden", golden.toString());
        System.out.println(r.output());
        assertEquals(0, r.exit(), r.output());
        List<String> cases = new ArrayList<>(JsonParser.parseString(
                Files.readString(golden.resolve("golden.json"))).getAsJsonObject().getAsJsonObject("cases").keySet());
        assertTrue(cases.size() >= 10, "cases: " + cases);
        List<String> lines = r.output().lines().toList();
        for (String c : cases) {
            assertTrue(lines.stream().anyMatch(l -> l.matches("case " + java.util.regex.Pattern.quote(c)
                    + "( \\[\\w+\\])?\\s+PASS\\s.*")), "case " + c + " not listed as PASS:\n" + r.output());
        }
        assertTrue(lines.stream().noneMatch(l -> l.contains("FAIL")), r.output());
        assertTrue(r.output().contains("pipe_long.videos"), r.output());
        assertTrue(r.output().contains("vae_temporal.decode.out_num_frames"), r.output());
        assertTrue(r.output().contains("verify-golden: PASS"), r.output());
    }

    @Test
    void aMissingFolderExits2() throws Exception {
        Result r = vidrd(120, "verify-golden", "/nonexistent");
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().contains("/nonexistent is not a directory"), r.output());
        Result none = vidrd(120, "verify-golden");
        assertEquals(2, none.exit(), none.output());
        assertTrue(none.output().contains("verify-golden takes one argument"), none.output());
    }
}
