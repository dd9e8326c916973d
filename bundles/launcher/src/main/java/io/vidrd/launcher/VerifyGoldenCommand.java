package io.vidrd.launcher;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * {@code vidrd verify-golden DIR}: runs every case of a golden folder against the model stored in
 * it and prints, per tensor, the maximum absolute and relative L2 errors, the tolerances and the
 * outcome. The checks run inside the bundles, in the {@code verify-golden} services (one per part:
 * {@code engine}, {@code vae}); the launcher reaches them only as {@code java.util.function.Function}
 * with plain maps, so it never loads DJL or a bundle's class. Exit codes: 0 all pass, 1 any failure
 * (or a part missing), 2 a missing or invalid folder argument.
 */
final class VerifyGoldenCommand {

    /** One line of the usage text. */
    static final String USAGE = "  verify-golden DIR    run every case of a golden folder; exit 0 iff all pass";

    // the service contract (io.vidrd.runtime.golden.GoldenVerification), repeated here because the
    // launcher must not load runtime classes
    private static final String FILTER = "(&(" + Constants.OBJECTCLASS + "=" + Function.class.getName()
            + ")(vidrd.tool=verify-golden))";
    private static final String PROP_PART = "vidrd.tool.part";
    /** The parts a complete distribution registers; a missing one fails the run instead of passing by omission. */
    private static final List<String> EXPECTED_PARTS = List.of("engine", "vae");
    private static final long SERVICE_WAIT_MILLIS = 60_000;

    private final PrintStream out;
    private final PrintStream err;
    private final List<Path> bundleDirs;

    VerifyGoldenCommand(PrintStream out, PrintStream err, List<Path> bundleDirs) {
        this.out = out;
        this.err = err;
        this.bundleDirs = bundleDirs;
    }

    /**
     * @param args the positional arguments (exactly the golden folder)
     * @return the exit code
     * @throws Exception if the container does not start
     */
    int run(List<String> args) throws Exception {
        if (args.size() != 1) {
            err.println("vidrd: verify-golden takes one argument, the golden folder (got " + args.size() + ")");
            err.println("run 'vidrd help' for usage");
            return 2;
        }
        Path dir = Path.of(args.get(0)).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            err.println("vidrd: verify-golden: " + dir + " is not a directory");
            return 2;
        }
        for (String f : List.of("golden.json", "golden.safetensors")) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                err.println("vidrd: verify-golden: " + dir + " is not a golden folder (no " + f + ")");
                return 2;
            }
        }
        singleThreadedTorch();
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (Container c = Container.start(bundleDirs, false)) {
            Filter filter = c.context().createFilter(FILTER);
            ServiceTracker<Object, Object> tracker = new ServiceTracker<>(c.context(), filter, null);
            tracker.open(true);
            try {
                List<ServiceReference<Object>> verifiers = await(tracker);
                Set<String> parts = new TreeSet<>();
                verifiers.forEach(r -> parts.add(part(r)));
                for (String p : EXPECTED_PARTS) {
                    if (!parts.contains(p)) {
                        problems.add("no '" + p + "' verifier registered within " + SERVICE_WAIT_MILLIS / 1000
                                + " s (is its bundle installed and active?)");
                    }
                }
                for (ServiceReference<Object> ref : verifiers) {
                    rows.addAll(call(c, ref, dir, problems));
                }
            } finally {
                tracker.close();
            }
        }
        return report(rows, problems);
    }

    /**
     * The golden tolerances are ten times a CPU re-run's deviation; one ill-conditioned U-Net call
     * of pipe_long (clip 0, step 0) exceeds its bound when PyTorch sums with several threads in a
     * different order. One thread reproduces the reference's order closely enough. Must happen
     * before the runtime bundle starts PyTorch; an explicit setting (VIDRD_JAVA_OPTS) is kept.
     */
    private static void singleThreadedTorch() {
        for (String p : List.of("ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads")) {
            if (System.getProperty(p) == null) {
                System.setProperty(p, "1");
            }
        }
    }

    /** Waits until every expected part is registered, or the time is up; returns them engine first. */
    private static List<ServiceReference<Object>> await(ServiceTracker<Object, Object> tracker)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + SERVICE_WAIT_MILLIS;
        while (true) {
            ServiceReference<Object>[] refs = tracker.getServiceReferences();
            List<ServiceReference<Object>> found = refs == null ? new ArrayList<>() : new ArrayList<>(List.of(refs));
            Set<String> parts = new TreeSet<>();
            found.forEach(r -> parts.add(part(r)));
            if (parts.containsAll(EXPECTED_PARTS) || System.currentTimeMillis() >= deadline) {
                found.sort(Comparator.comparingInt((ServiceReference<Object> r) -> {
                    int i = EXPECTED_PARTS.indexOf(part(r));
                    return i < 0 ? EXPECTED_PARTS.size() : i;
                }).thenComparing(VerifyGoldenCommand::part));
                return found;
            }
            Thread.sleep(100);
        }
    }

    private static String part(ServiceReference<?> ref) {
        Object p = ref.getProperty(PROP_PART);
        return p == null ? "(unnamed)" : p.toString();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> call(Container c, ServiceReference<Object> ref, Path dir, List<String> problems) {
        String part = part(ref);
        Object service = c.context().getService(ref);
        if (!(service instanceof Function)) {
            problems.add("the '" + part + "' verifier is gone or is not a Function");
            return List.of();
        }
        try {
            Consumer<String> progress = line -> err.println("[" + part + "] " + line);
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("dir", dir.toString());
            args.put("progress", progress);
            Object result = ((Function<Object, Object>) service).apply(args);
            if (!(result instanceof List)) {
                problems.add("the '" + part + "' verifier returned " + result);
                return List.of();
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Object o : (List<Object>) result) {
                if (o instanceof Map) {
                    rows.add((Map<String, Object>) o);
                }
            }
            return rows;
        } catch (RuntimeException e) {
            problems.add("the '" + part + "' verifier failed: " + e);
            return List.of();
        } finally {
            c.context().ungetService(ref);
        }
    }

    private int report(List<Map<String, Object>> rows, List<String> problems) {
        List<Map<String, Object>> tensors = rows.stream().filter(r -> !"case".equals(r.get("type"))).toList();
        List<Map<String, Object>> cases = rows.stream().filter(r -> "case".equals(r.get("type"))).toList();
        int caseWidth = "case".length();
        int tensorWidth = "tensor".length();
        for (Map<String, Object> r : tensors) {
            caseWidth = Math.max(caseWidth, text(r, "case").length());
            tensorWidth = Math.max(tensorWidth, text(r, "tensor").length());
        }
        String format = "%-" + caseWidth + "s  %-" + tensorWidth + "s  %10s  %10s  %10s  %10s  %s%n";
        out.printf(format, "case", "tensor", "max abs", "rel L2", "atol", "rel tol", "result");
        int failed = 0;
        for (Map<String, Object> r : tensors) {
            boolean ok = Boolean.TRUE.equals(r.get("passed"));
            failed += ok ? 0 : 1;
            double atol = number(r, "atol");
            double relTol = number(r, "relTol");
            boolean exact = atol == 0 && relTol == 0;
            String detail = text(r, "detail");
            out.printf(Locale.ROOT, format, text(r, "case"), text(r, "tensor"), sci(number(r, "maxAbs")),
                    sci(number(r, "relL2")), exact ? "exact" : sci(atol), exact ? "exact" : sci(relTol),
                    (ok ? "PASS" : "FAIL") + (detail.isEmpty() ? "" : "  " + detail));
        }
        out.println();
        int failedCases = 0;
        for (Map<String, Object> r : cases) {
            boolean ok = Boolean.TRUE.equals(r.get("passed"));
            failedCases += ok ? 0 : 1;
            String detail = text(r, "detail");
            out.printf(Locale.ROOT, "case %-" + caseWidth + "s  %s  %7.2f s%s%n", text(r, "case"), ok ? "PASS" : "FAIL",
                    number(r, "seconds"), detail.isEmpty() ? "" : "  " + detail);
        }
        for (String p : problems) {
            out.println("FAIL " + p);
        }
        boolean all = failed == 0 && failedCases == 0 && problems.isEmpty() && !tensors.isEmpty();
        out.printf(Locale.ROOT, "verify-golden: %s: %d cases (%d failed), %d checks (%d failed)%s%n",
                all ? "PASS" : "FAIL", cases.size(), failedCases, tensors.size(), failed,
                problems.isEmpty() ? "" : ", " + problems.size() + " problem(s)");
        return all ? 0 : 1;
    }

    private static String text(Map<String, Object> r, String key) {
        Object v = r.get(key);
        return v == null ? "" : v.toString();
    }

    private static double number(Map<String, Object> r, String key) {
        Object v = r.get(key);
        return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
    }

    private static String sci(double v) {
        return Double.isInfinite(v) ? "inf" : Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3e", v);
    }
}
