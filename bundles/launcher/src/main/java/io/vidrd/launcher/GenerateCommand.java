package io.vidrd.launcher;

import io.vidrd.api.Clip;
import io.vidrd.api.GenerationException;
import io.vidrd.api.GenerationJob;
import io.vidrd.api.GenerationListener;
import io.vidrd.api.GenerationRequest;
import io.vidrd.api.InvalidRequestException;
import io.vidrd.api.JobCancelledException;
import io.vidrd.api.Progress;
import io.vidrd.api.Video;
import io.vidrd.api.VideoEncoder;
import io.vidrd.api.VideoFormat;
import io.vidrd.api.VideoGenerator;
import io.vidrd.api.VideoMetadata;
import io.vidrd.api.VideoWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.framework.ServiceReference;

/**
 * {@code vidrd generate}: one request through the container's {@link VideoGenerator}, clips
 * streamed into the {@link VideoEncoder} as they finish, a progress line on the terminal.
 * Ctrl-C cancels the job and removes the partial output: the target name appears only when the
 * video is complete.
 */
final class GenerateCommand {

    static final String USAGE = String.join("\n",
            "generate options (defaults: the official VidRD example configuration):",
            "  -o, --output FILE     output file; the extension picks the format (.mp4, .webm, .gif, or a folder for png)",
            "  --format F            mp4, webm, gif or png (overrides the extension)",
            "  --size WxH            frame size in pixels, multiples of 8 (default 256x256)",
            "  --frames-per-clip N   frames per clip (default 8)",
            "  --clips K             clips; the video has K*N frames (default 1)",
            "  --steps T             DDIM steps (default 50)",
            "  --guidance W          classifier-free guidance scale (default 10)",
            "  --seed S              random seed (default 42)",
            "  --negative TEXT       negative prompt (default \"watermark\")",
            "  --prompt-frames M     VidRD prompt frames shared with the previous clip (default 4)",
            "  --noise-reuse A       VidRD noise reuse alpha (default 4)",
            "  --staged-guidance B   VidRD staged guidance beta in [0,1] (default 0.4)",
            "  --fps F               frames per second of the file (default 8)",
            "  --prompt-file FILE    one prompt per line, one line per clip (a prompt schedule)");

    static final Set<String> VALUE_OPTIONS = Set.of("output", "format", "size", "frames-per-clip", "clips", "steps",
            "guidance", "seed", "negative", "prompt-frames", "noise-reuse", "staged-guidance", "fps", "prompt-file");

    private static final long ENGINE_WAIT_MILLIS = 300_000;

    private final PrintStream out;
    private final PrintStream err;
    private final List<Path> bundleDirs;

    GenerateCommand(PrintStream out, PrintStream err, List<Path> bundleDirs) {
        this.out = out;
        this.err = err;
        this.bundleDirs = bundleDirs;
    }

    int run(CommandLine line, Settings settings) {
        GenerationRequest request;
        Path target;
        VideoFormat format;
        try {
            request = request(line);
            target = Path.of(line.options().getOrDefault("output", ""));
            if (line.options().get("output") == null) {
                throw new UsageException("missing output: -o FILE (e.g. -o out.mp4)");
            }
            format = format(line, target);
            checkWritable(target);
            if (settings.get(Setting.MODEL_DIR).isEmpty()) {
                throw new UsageException("no model: give --model DIR (or set vidrd.model.dir / VIDRD_MODEL_DIR) to a directory in the"
                        + " official VidRD layout");
            }
            Path model = Path.of(settings.get(Setting.MODEL_DIR).get());
            if (!Files.isDirectory(model)) {
                throw new UsageException("model directory " + model + " does not exist");
            }
        } catch (UsageException e) {
            err.println("vidrd: " + e.getMessage());
            return 2;
        } catch (InvalidRequestException e) {
            err.println("vidrd: invalid request:");
            e.errors().forEach(f -> err.println("  " + optionName(f.field()) + ": " + f.message()));
            return 2;
        }
        try (Container c = Container.start(bundleDirs, false, settings.byPid())) {
            Optional<VideoGenerator> generator = c.awaitService(VideoGenerator.class, ENGINE_WAIT_MILLIS);
            if (generator.isEmpty()) {
                err.println("vidrd: the engine did not start (no VideoGenerator registered): see the error above");
                return 1;
            }
            // The VAE loads in parallel with the engine; a job started before it is bound would fail.
            String kind = settings.get(Setting.VAE_KIND).orElse("vidrd");
            if (c.awaitServices("io.vidrd.runtime.codec.LatentCodec", "(vidrd.vae.kind=" + kind + ")", ENGINE_WAIT_MILLIS)
                    .isEmpty()) {
                err.println("vidrd: the '" + kind + "' VAE did not start (no latent codec registered): see the error above");
                return 1;
            }
            Optional<VideoEncoder> encoder = c.awaitService(VideoEncoder.class, 60_000);
            if (encoder.isEmpty()) {
                err.println("vidrd: no VideoEncoder is registered (is the io.vidrd.media bundle installed?)");
                return 1;
            }
            return generate(generator.get(), encoder.get(), request, target, format, settings);
        } catch (Exception e) {
            err.println("vidrd: generate failed: " + e);
            return 1;
        }
    }

    private int generate(VideoGenerator generator, VideoEncoder encoder, GenerationRequest asked, Path target,
            VideoFormat format, Settings settings) throws InterruptedException {
        // without --size the model's own size (the demo model is 32x32) sizes the file
        GenerationRequest request = generator.info().withDefaultSize(asked);
        Map<String, String> metadata = VideoMetadata.of(request, generator.info());
        settings.get(Setting.VAE_KIND).ifPresent(k -> metadata.put(VideoMetadata.VAE_KIND, k));
        VideoWriter writer;
        try {
            writer = encoder.open(target, format, request.width(), request.height(), request.fps(), metadata);
        } catch (IOException | IllegalArgumentException e) {
            err.println("vidrd: cannot write " + target + ": " + e.getMessage());
            return 2;
        }
        AtomicReference<Exception> writeFailure = new AtomicReference<>();
        ProgressLine progress = new ProgressLine(err, System.console() != null);
        CountDownLatch ended = new CountDownLatch(1);
        GenerationJob job = generator.submit(request, new GenerationListener() {
            @Override
            public void onProgress(Progress p) {
                progress.show(p);
            }

            @Override
            public void onClip(Clip clip) {
                if (writeFailure.get() != null) {
                    return;
                }
                try {
                    writer.write(clip);
                } catch (IOException | RuntimeException e) {
                    writeFailure.set(e);
                }
            }

            @Override
            public void onWarning(String message) {
                progress.message("warning: " + message);
            }
        });
        Thread cancelOnCtrlC = new Thread(() -> {
            if (!job.status().isTerminal()) {
                job.cancel();
                try {
                    ended.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "vidrd-cancel");
        Runtime.getRuntime().addShutdownHook(cancelOnCtrlC);
        try {
            Video video = job.await();
            progress.done();
            if (writeFailure.get() != null) {
                writer.abort();
                err.println("vidrd: writing " + target + " failed: " + writeFailure.get().getMessage());
                return 1;
            }
            writer.close();
            out.printf("wrote %s: %d frames, %dx%d, %.3g fps (%s)%n", target, video.frameCount(), video.width(),
                    video.height(), video.fps(), format.name().toLowerCase(java.util.Locale.ROOT));
            return 0;
        } catch (JobCancelledException e) {
            progress.done();
            writer.abort();
            err.println("vidrd: cancelled (" + e.reason() + "); no file written");
            return 130;
        } catch (GenerationException e) {
            progress.done();
            writer.abort();
            err.println("vidrd: generation failed: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            writer.abort();
            err.println("vidrd: finishing " + target + " failed: " + e.getMessage());
            return 1;
        } finally {
            ended.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(cancelOnCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for 'ended'
            }
        }
    }

    private static GenerationRequest request(CommandLine line) throws UsageException {
        Map<String, String> o = line.options();
        List<String> schedule = List.of();
        if (o.containsKey("prompt-file")) {
            schedule = promptFile(Path.of(o.get("prompt-file")));
        }
        String prompt;
        if (line.positional().size() == 1) {
            prompt = line.positional().get(0);
        } else if (line.positional().isEmpty() && !schedule.isEmpty()) {
            prompt = schedule.get(0);
        } else if (line.positional().isEmpty()) {
            throw new UsageException("missing prompt: vidrd generate \"a red circle moving to the right\" -o out.mp4");
        } else {
            throw new UsageException("give one prompt (quote it), got " + line.positional().size() + " arguments: " + line.positional());
        }
        GenerationRequest.Builder b = GenerationRequest.builder(prompt);
        if (!schedule.isEmpty()) {
            b.clipPrompts(schedule).clips(schedule.size());
        }
        if (o.containsKey("size")) {
            int[] wh = size(o.get("size"));
            b.size(wh[0], wh[1]);
        }
        if (o.containsKey("frames-per-clip")) {
            b.framesPerClip(integer(o, "frames-per-clip"));
        }
        if (o.containsKey("clips")) {
            b.clips(integer(o, "clips"));
        }
        if (o.containsKey("steps")) {
            b.steps(integer(o, "steps"));
        }
        if (o.containsKey("guidance")) {
            b.guidanceScale(decimal(o, "guidance"));
        }
        if (o.containsKey("seed")) {
            try {
                b.seed(Long.parseLong(o.get("seed")));
            } catch (NumberFormatException e) {
                throw new UsageException("--seed must be an integer, got '" + o.get("seed") + "'");
            }
        }
        if (o.containsKey("negative")) {
            b.negativePrompt(o.get("negative"));
        }
        if (o.containsKey("prompt-frames")) {
            b.promptFrames(integer(o, "prompt-frames"));
        }
        if (o.containsKey("noise-reuse")) {
            b.noiseReuse(decimal(o, "noise-reuse"));
        }
        if (o.containsKey("staged-guidance")) {
            b.stagedGuidance(decimal(o, "staged-guidance"));
        }
        if (o.containsKey("fps")) {
            b.fps(decimal(o, "fps"));
        }
        return b.build();
    }

    private static List<String> promptFile(Path file) throws UsageException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("cannot read prompt file " + file + ": " + e.getMessage());
        }
        List<String> prompts = new ArrayList<>();
        for (String l : lines) {
            String t = l.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                prompts.add(t);
            }
        }
        if (prompts.isEmpty()) {
            throw new UsageException("prompt file " + file + " has no prompts (one per line, # for comments)");
        }
        return prompts;
    }

    private static int[] size(String v) throws UsageException {
        String[] parts = v.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (parts.length == 1) {
                int s = Integer.parseInt(parts[0]);
                return new int[] {s, s};
            }
            if (parts.length == 2) {
                return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new UsageException("--size must be WIDTHxHEIGHT (e.g. 256x256) or one number, got '" + v + "'");
    }

    private static int integer(Map<String, String> o, String name) throws UsageException {
        try {
            return Integer.parseInt(o.get(name));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, got '" + o.get(name) + "'");
        }
    }

    private static double decimal(Map<String, String> o, String name) throws UsageException {
        try {
            return Double.parseDouble(o.get(name));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got '" + o.get(name) + "'");
        }
    }

    private static VideoFormat format(CommandLine line, Path target) throws UsageException {
        String explicit = line.options().get("format");
        if (explicit != null) {
            try {
                return VideoFormat.fromName(explicit);
            } catch (IllegalArgumentException e) {
                throw new UsageException("unknown format '" + explicit + "'; allowed: mp4, webm, gif, png");
            }
        }
        Optional<VideoFormat> f = VideoFormat.fromFileName(target.getFileName() == null ? "" : target.getFileName().toString());
        if (f.isEmpty()) {
            throw new UsageException("cannot tell the format of '" + target + "': use .mp4, .webm, .gif, .png or --format");
        }
        return f.get();
    }

    private static void checkWritable(Path target) throws UsageException {
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UsageException("cannot write " + target + ": folder " + parent + " does not exist");
        }
        if (!Files.isWritable(parent)) {
            throw new UsageException("cannot write " + target + ": folder " + parent + " is not writable");
        }
        if (Files.isDirectory(target) && !target.getFileName().toString().endsWith(".png")
                && !target.toString().endsWith("/")) {
            throw new UsageException("cannot write " + target + ": it is a folder");
        }
    }

    private static String optionName(String field) {
        switch (field) {
            case "width": case "height": return "--size";
            case "guidance_scale": return "--guidance";
            case "negative_prompt": return "--negative";
            case "noise_reuse": return "--noise-reuse";
            case "staged_guidance": return "--staged-guidance";
            case "prompt_frames": return "--prompt-frames";
            case "frames_per_clip": return "--frames-per-clip";
            case "prompt": return "prompt";
            default: return "--" + field.replace('_', '-');
        }
    }

    /** One self-overwriting progress line on a terminal, plain lines per clip otherwise. */
    private static final class ProgressLine {
        private final PrintStream err;
        private final boolean terminal;
        private int lastClip = -1;

        ProgressLine(PrintStream err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        synchronized void show(Progress p) {
            String eta = p.etaMillis().isPresent() ? String.format(" ETA %ds", (p.etaMillis().getAsLong() + 999) / 1000) : "";
            int width = 30;
            int filled = (int) Math.round(p.fraction() * width);
            String bar = "#".repeat(filled) + "-".repeat(width - filled);
            String text = String.format("[%s] %3d%% clip %d/%d step %d/%d%s", bar, Math.round(p.fraction() * 100),
                    p.clip() + 1, p.clips(), p.step(), p.steps(), eta);
            if (terminal) {
                err.print("\r" + text + "   ");
                err.flush();
            } else if (p.step() == p.steps() || p.clip() != lastClip && p.step() == 1) {
                err.println(text);
            }
            lastClip = p.clip();
        }

        synchronized void message(String text) {
            err.println((terminal ? "\r" : "") + text);
        }

        synchronized void done() {
            if (terminal) {
                err.println();
            }
        }
    }
}
