package io.vidrd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vidrd generate} from the built distribution, on the golden model, as a user runs it. */
class VidrdGenerateIT {

    @TempDir
    Path dir;

    private static Path dist() {
        return Path.of(System.getProperty("vidrd.dist.dir", "target/vidrd"));
    }

    private static String golden() {
        return Path.of(System.getProperty("vidrd.golden.dir", "../../../shared/golden")).toAbsolutePath().normalize().toString();
    }

    private ProcessBuilder vidrd(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(dist().resolve("bin/vidrd").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("VIDRD_JAVA_OPTS", "-Xmx2g -Dai.djl.pytorch.num_threads=1");
        return pb;
    }

    private record Result(int exit, String output) {}

    private Result run(String... args) throws Exception {
        Process p = vidrd(args).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "vidrd did not finish");
        return new Result(p.exitValue(), output);
    }

    @Test
    void generatesAThreeClipVideoThatDecodes() throws Exception {
        Result r = run("generate", "wood on fire", "--model", golden(), "-o", "out.mp4", "--size", "32x32",
                "--frames-per-clip", "6", "--clips", "3", "--steps", "5", "--fps", "8");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("wrote out.mp4: 18 frames, 32x32"), r.output());
        assertTrue(r.output().contains("clip 3/3 step 5/5"), "progress shown: " + r.output());
        Path video = dir.resolve("out.mp4");
        int frames = 0;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
            g.start();
            assertEquals(32, g.getImageWidth());
            assertEquals(32, g.getImageHeight());
            assertEquals(8.0, g.getFrameRate(), 0.01);
            assertEquals("wood on fire", g.getMetadata("title"));
            for (Frame f; (f = g.grabImage()) != null;) {
                frames++;
            }
        }
        assertEquals(18, frames);
        String sidecar = Files.readString(dir.resolve("out.mp4.json"));
        assertTrue(sidecar.contains("\"seed\": \"42\""), sidecar);
        assertTrue(sidecar.contains("\"clips\": \"3\""), sidecar);
    }

    @Test
    void withoutAModelTheBuiltInDemoModelGeneratesAtItsOwnSize() throws Exception {
        ProcessBuilder pb = vidrd("generate", "a red circle moving to the right on a dark blue background", "-o", "demo.gif",
                "--clips", "2", "--steps", "5");
        pb.environment().remove("VIDRD_MODEL_DIR");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "vidrd did not finish");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("wrote demo.gif: 16 frames, 32x32"), output);
        String sidecar = Files.readString(dir.resolve("demo.gif.json"));
        assertTrue(sidecar.contains("\"width\": \"32\"") && sidecar.contains("\"height\": \"32\""), sidecar);
    }

    @Test
    void badInputIsRefusedWithExitCode2() throws Exception {
        Result format = run("generate", "x", "--model", golden(), "-o", "out.avi");
        assertEquals(2, format.exit(), format.output());
        assertTrue(format.output().contains("cannot tell the format of 'out.avi'"), format.output());
        Result missingModel = run("generate", "x", "--model", dir.resolve("nope").toString(), "-o", "out.mp4");
        assertEquals(2, missingModel.exit(), missingModel.output());
        Result unwritable = run("generate", "x", "--model", golden(), "-o", "/nonexistent/dir/out.mp4");
        assertEquals(2, unwritable.exit(), unwritable.output());
        assertTrue(unwritable.output().contains("does not exist"), unwritable.output());
        Result badValue = run("generate", "x", "--model", golden(), "-o", "out.mp4", "--staged-guidance", "1.5",
                "--steps", "0");
        assertEquals(2, badValue.exit(), badValue.output());
        assertTrue(badValue.output().contains("--staged-guidance") && badValue.output().contains("--steps"), badValue.output());
        assertFalse(Files.exists(dir.resolve("out.mp4")));
    }

    @Test
    void interruptingLeavesNoFileBehind() throws Exception {
        Process p = vidrd("generate", "wood on fire", "--model", golden(), "-o", "long.webm", "--size", "32x32",
                "--frames-per-clip", "6", "--clips", "200", "--steps", "5").start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String l; (l = lines.readLine()) != null;) {
            seen.append(l).append('\n');
            if (l.contains("clip 2/200")) {
                break;
            }
        }
        assertTrue(seen.toString().contains("clip 2/200"), seen.toString());
        // SIGTERM, like Ctrl-C: the shutdown hook cancels the job and the writer removes its part file
        p.toHandle().destroy();
        StringBuilder rest = new StringBuilder();
        for (String l; (l = lines.readLine()) != null;) {
            rest.append(l).append('\n');
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "vidrd did not stop");
        assertTrue(rest.toString().contains("cancelled"), "cancellation reported: " + rest);
        try (Stream<Path> left = Files.list(dir)) {
            List<Path> files = left.toList();
            assertTrue(files.isEmpty(), "left behind: " + files + "\n" + seen + rest);
        }
    }
}
