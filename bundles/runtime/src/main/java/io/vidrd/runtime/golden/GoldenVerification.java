package io.vidrd.runtime.golden;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The contract of the {@code verify-golden} services. Each bundle that can check part of a golden
 * folder registers a {@code java.util.function.Function<Map<String, Object>, List<Map<String,
 * Object>>>} with the properties {@value #PROP_TOOL}={@value #TOOL} and {@value #PROP_PART} (its
 * part: {@code engine}, {@code vae}). The types are plain {@code java.*} ones on purpose: the
 * launcher calls the services without loading any class of the bundles (it must never load DJL).
 *
 * <p>Argument: {@value #ARG_DIR} (String, the golden folder; required) and {@value #ARG_PROGRESS}
 * ({@code Consumer<String>}, optional, one line per case as it starts and ends). Result: for every
 * case, one map per tensor result ({@value #KEY_TYPE}={@value #TYPE_TENSOR}) followed by one map
 * for the case ({@value #KEY_TYPE}={@value #TYPE_CASE}); the keys are the {@code KEY_*} constants.
 * A service throws {@link IllegalArgumentException} for a missing or non-golden folder; failures
 * inside a case come back as failed results.
 */
public final class GoldenVerification {

    /** Service property naming the tool. */
    public static final String PROP_TOOL = "vidrd.tool";
    /** Value of {@link #PROP_TOOL} for golden-folder verifiers. */
    public static final String TOOL = "verify-golden";
    /** Service property naming the part of the golden folder a verifier checks. */
    public static final String PROP_PART = "vidrd.tool.part";

    /** Argument key: the golden folder (String). */
    public static final String ARG_DIR = "dir";
    /** Argument key: an optional {@code Consumer<String>} receiving progress lines. */
    public static final String ARG_PROGRESS = "progress";

    /** Result key: {@link #TYPE_TENSOR} or {@link #TYPE_CASE}. */
    public static final String KEY_TYPE = "type";
    /** Result type of a tensor (or structural check) row. */
    public static final String TYPE_TENSOR = "tensor";
    /** Result type of a case summary row. */
    public static final String TYPE_CASE = "case";
    /** Result key: case name (String). */
    public static final String KEY_CASE = "case";
    /** Result key: tensor or check name (String; absent on case rows). */
    public static final String KEY_TENSOR = "tensor";
    /** Result key: maximum absolute error (Double; infinite for a failed non-numeric check). */
    public static final String KEY_MAX_ABS = "maxAbs";
    /** Result key: relative L2 error (Double). */
    public static final String KEY_REL_L2 = "relL2";
    /** Result key: allowed absolute error (Double; 0 with {@link #KEY_REL_TOL} 0 means exact). */
    public static final String KEY_ATOL = "atol";
    /** Result key: allowed relative L2 error (Double). */
    public static final String KEY_REL_TOL = "relTol";
    /** Result key: the outcome (Boolean). */
    public static final String KEY_PASSED = "passed";
    /** Result key: why a check failed beyond the numbers, or empty (String). */
    public static final String KEY_DETAIL = "detail";
    /** Result key: wall time of a case in seconds (Double; case rows only). */
    public static final String KEY_SECONDS = "seconds";

    private GoldenVerification() {}

    /**
     * @param args a verifier's argument
     * @return the golden folder it names
     * @throws IllegalArgumentException if it names none, or not a golden folder
     */
    public static Path dir(Map<String, Object> args) {
        Object d = args == null ? null : args.get(ARG_DIR);
        if (!(d instanceof String) || ((String) d).isBlank()) {
            throw new IllegalArgumentException("'" + ARG_DIR + "' (the golden folder, a String) is required");
        }
        Path dir = Path.of((String) d).toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve(GoldenSet.DESCRIPTION)) || !Files.isRegularFile(dir.resolve(GoldenSet.TENSORS))) {
            throw new IllegalArgumentException(dir + " is not a golden folder: it needs " + GoldenSet.DESCRIPTION
                    + " and " + GoldenSet.TENSORS);
        }
        return dir;
    }

    /**
     * @param args a verifier's argument
     * @return its progress consumer, or one that drops the lines
     */
    @SuppressWarnings("unchecked")
    public static Consumer<String> progress(Map<String, Object> args) {
        Object p = args == null ? null : args.get(ARG_PROGRESS);
        return p instanceof Consumer ? (Consumer<String>) p : line -> { };
    }

    /**
     * @param cases results of a run
     * @return them in the result format of the services (tensor rows, then the case row, per case)
     */
    public static List<Map<String, Object>> toMaps(List<CaseResult> cases) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (CaseResult c : cases) {
            for (TensorResult t : c.tensors()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put(KEY_TYPE, TYPE_TENSOR);
                m.put(KEY_CASE, c.name());
                m.put(KEY_TENSOR, t.name());
                m.put(KEY_MAX_ABS, t.maxAbs());
                m.put(KEY_REL_L2, t.relL2());
                m.put(KEY_ATOL, t.tolerance().atol());
                m.put(KEY_REL_TOL, t.tolerance().relL2());
                m.put(KEY_PASSED, t.passed());
                m.put(KEY_DETAIL, t.detail());
                out.add(m);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(KEY_TYPE, TYPE_CASE);
            m.put(KEY_CASE, c.name());
            m.put(KEY_PASSED, c.passed());
            m.put(KEY_SECONDS, c.seconds());
            m.put(KEY_DETAIL, c.tensors().isEmpty() ? "nothing compared" : "");
            out.add(m);
        }
        return out;
    }

    /**
     * @param c a finished case
     * @return a progress line for it
     */
    public static String progressLine(CaseResult c) {
        return String.format("%s: %s (%d checks, %d failed, %.1f s)", c.name(), c.passed() ? "PASS" : "FAIL",
                c.tensors().size(), c.failures().size(), c.seconds());
    }
}
