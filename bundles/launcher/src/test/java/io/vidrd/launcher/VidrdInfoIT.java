package io.vidrd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the built distribution's {@code bin/vidrd} in its own process, as a user would. */
class VidrdInfoIT {

    private static Path dist() {
        return Path.of(System.getProperty("vidrd.dist.dir", "target/vidrd"));
    }

    private static Result vidrd(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = dist().resolve("bin/vidrd").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("VIDRD_JAVA_OPTS", "-Xmx2g");
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "vidrd did not finish");
        return new Result(p.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private record Result(int exit, String output) {}

    @Test
    void infoShowsTheRuntimeFromTheDistribution() throws Exception {
        assertTrue(Files.isExecutable(dist().resolve("bin/vidrd")), "distribution not built at " + dist());
        Result r = vidrd("info");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("runtime: DJL 0.35.1, engine PyTorch 2.7.1"), r.output());
        assertTrue(r.output().contains("devices: cpu"), r.output());
        assertTrue(r.output().contains("io.vidrd.runtime 1.0.0"), r.output());
        assertTrue(r.output().contains("io.vidrd.runtime.natives.cpu 1.0.0"), r.output());
    }

    @Test
    void badOptionExits2() throws Exception {
        Result r = vidrd("info", "--dtype", "fp8");
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().contains("bad value 'fp8' for vidrd.dtype"), r.output());
    }
}
