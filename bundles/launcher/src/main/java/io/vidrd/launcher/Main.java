package io.vidrd.launcher;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * The {@code vidrd} command: starts an embedded Felix with the distribution's bundles and runs
 * one command against the services there. Exit codes: 0 success, 1 failure, 2 bad usage.
 */
public final class Main {

    static final String USAGE = String.join("\n",
            "usage: vidrd COMMAND [options]",
            "commands:",
            "  generate PROMPT -o FILE [generation options]  generate a video (mp4, webm, gif or png frames)",
            "  info                 show the PyTorch runtime, devices and registered video generators",
            "  shell                open the Gogo shell of the container",
            ServeCommand.USAGE,
            VerifyGoldenCommand.USAGE,
            BenchCommand.USAGE,
            "  help                 show this text",
            "options (all commands; defaults < vidrd.properties < VIDRD_* environment < options):",
            "  --config FILE        settings file (default: ./vidrd.properties if present)",
            "  --model DIR          model directory in the official VidRD layout (vidrd.model.dir;",
            "                       default: the built-in demo model, " + BuiltInModel.FOLDER + " under the home, if present)",
            "  --device cpu|gpu:N   device (vidrd.device, default cpu)",
            "  --dtype fp32|fp16|bf16  precision (vidrd.dtype, default fp32; fp16/bf16 need a GPU)",
            "  --vae vidrd|image|temporal  latent decoder (vidrd.vae.kind, default vidrd)",
            GenerateCommand.USAGE);

    private static final Map<String, Set<String>> VALUE_OPTIONS = Map.of(
            "*", Set.of("config", "model", "device", "dtype", "vae"),
            "info", Set.of(),
            "generate", GenerateCommand.VALUE_OPTIONS,
            "shell", Set.of(),
            "serve", ServeCommand.VALUE_OPTIONS,
            "verify-golden", Set.of(),
            "bench", BenchCommand.VALUE_OPTIONS,
            "help", Set.of());
    private static final Map<String, Set<String>> FLAGS = Map.of("*", Set.of("help"));

    private final PrintStream out;
    private final PrintStream err;
    private final Path home;
    private final Map<String, String> environment;

    Main(PrintStream out, PrintStream err, Path home, Map<String, String> environment) {
        this.out = out;
        this.err = err;
        this.home = home;
        this.environment = environment;
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        quietLibraryLogs();
        String homeProp = System.getProperty("vidrd.home", ".");
        int code = new Main(System.out, System.err, Path.of(homeProp).toAbsolutePath().normalize(), System.getenv())
                .run(args);
        System.exit(code);
    }

    private static void quietLibraryLogs() {
        // DJL logs through an embedded slf4j-simple; its INFO lines are noise on a terminal.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        // Bundles log through System.Logger (java.util.logging here): warnings and errors only,
        // unless VIDRD_LOG_LEVEL asks for more (e.g. INFO).
        java.util.logging.Level level;
        try {
            level = java.util.logging.Level.parse(System.getenv().getOrDefault("VIDRD_LOG_LEVEL", "WARNING"));
        } catch (IllegalArgumentException e) {
            level = java.util.logging.Level.WARNING;
        }
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(level);
        for (java.util.logging.Handler h : root.getHandlers()) {
            h.setLevel(level);
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    int run(String[] args) {
        CommandLine line;
        Settings settings;
        try {
            if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
                out.println(USAGE);
                return args.length == 0 ? 2 : 0;
            }
            line = CommandLine.parse(args, VALUE_OPTIONS, FLAGS);
            if (line.command().equals("help") || line.flag("help")) {
                out.println(USAGE);
                return 0;
            }
            if (!line.command().equals("generate") && !line.command().equals("verify-golden")
                    && !line.positional().isEmpty()) {
                throw new UsageException("'" + line.command() + "' takes no arguments, got " + line.positional());
            }
            settings = Settings.resolve(line.options(), environment, propertiesFile(line), BuiltInModel.in(home));
        } catch (UsageException e) {
            err.println("vidrd: " + e.getMessage());
            err.println("run 'vidrd help' for usage");
            return 2;
        }
        try {
            switch (line.command()) {
                case "info":
                    return info(settings);
                case "generate":
                    return new GenerateCommand(out, err, bundleDirs(false)).run(line, settings);
                case "shell":
                    return shell(settings);
                case "serve":
                    return new ServeCommand(out, err, List.of(home.resolve("bundle"), home.resolve("ui"))).run(settings);
                case "bench":
                    return new BenchCommand(out, err, bundleDirs(false)).run(line, environment);
                case "verify-golden":
                    return new VerifyGoldenCommand(out, err, bundleDirs(false)).run(line.positional());
                default:
                    throw new IllegalStateException(line.command());
            }
        } catch (Exception e) {
            err.println("vidrd: " + line.command() + " failed: " + e);
            return 1;
        }
    }

    private Optional<Path> propertiesFile(CommandLine line) {
        String explicit = line.options().get("config");
        if (explicit != null) {
            return Optional.of(Path.of(explicit));
        }
        Path local = Path.of("vidrd.properties");
        return Files.exists(local) ? Optional.of(local) : Optional.empty();
    }

    private List<Path> bundleDirs(boolean withShell) {
        return withShell ? List.of(home.resolve("bundle"), home.resolve("shell")) : List.of(home.resolve("bundle"));
    }

    private int info(Settings settings) throws Exception {
        try (Container c = Container.start(bundleDirs(false), false, settings.byPid())) {
            out.println("VidRD " + Optional.ofNullable(Main.class.getPackage().getImplementationVersion()).orElse("(dev)")
                    + " in Apache Felix " + c.context().getBundle(0).getVersion());
            out.println("home: " + home);
            List<ServiceReference<?>> runtime = c.awaitServices("io.vidrd.runtime.RuntimeStatus", 60_000);
            if (runtime.isEmpty()) {
                out.println("runtime: not registered (is the io.vidrd.runtime bundle installed and started?)");
            } else {
                ServiceReference<?> r = runtime.get(0);
                if (Boolean.TRUE.equals(r.getProperty("vidrd.runtime.available"))) {
                    out.println("runtime: DJL " + r.getProperty("vidrd.runtime.djl.version") + ", engine "
                            + r.getProperty("vidrd.runtime.engine") + " " + r.getProperty("vidrd.runtime.engine.version"));
                    out.println("devices: " + r.getProperty("vidrd.runtime.devices"));
                } else {
                    out.println("runtime: DJL " + r.getProperty("vidrd.runtime.djl.version") + ", engine "
                            + r.getProperty("vidrd.runtime.engine") + " NOT AVAILABLE: " + r.getProperty("vidrd.runtime.error"));
                }
            }
            long wait = settings.get(Setting.MODEL_DIR).isPresent() ? 30_000 : 2_000;
            List<ServiceReference<?>> generators = c.awaitServices("io.vidrd.api.VideoGenerator", wait);
            if (generators.isEmpty()) {
                out.println("video generators: none registered"
                        + (settings.get(Setting.MODEL_DIR).isPresent() ? " (see the log above for why)"
                                : " (no model directory configured: --model DIR or vidrd.model.dir)"));
            } else {
                out.println("video generators:");
                for (ServiceReference<?> g : generators) {
                    out.println("  - " + describe(g));
                }
            }
            out.println("bundles:");
            for (Bundle b : c.context().getBundles()) {
                out.println("  " + b.getSymbolicName() + " " + b.getVersion() + " " + state(b.getState()));
            }
            return runtime.isEmpty() || !Boolean.TRUE.equals(runtime.get(0).getProperty("vidrd.runtime.available")) ? 1 : 0;
        }
    }

    private static String describe(ServiceReference<?> ref) {
        StringBuilder b = new StringBuilder();
        for (String key : ref.getPropertyKeys()) {
            if (key.startsWith("vidrd.") || key.equals("service.ranking")) {
                b.append(b.length() == 0 ? "" : ", ").append(key).append('=').append(ref.getProperty(key));
            }
        }
        return b.toString();
    }

    private static String state(int state) {
        switch (state) {
            case Bundle.ACTIVE: return "ACTIVE";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            default: return "UNINSTALLED";
        }
    }

    private int shell(Settings settings) throws Exception {
        try (Container c = Container.start(bundleDirs(true), true, settings.byPid())) {
            c.awaitStop();
            return 0;
        }
    }
}
