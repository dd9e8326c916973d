package io.vidrd.runtime.nn;

import java.nio.file.Path;
import java.util.List;

/**
 * The tensors of a checkpoint do not fit the module built from its configuration. The message
 * names the file(s) and lists missing, unexpected and wrongly shaped keys (the first 20 of each,
 * with counts); the accessors return all of them.
 */
public class WeightBindingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<Path> files;
    private final List<String> missing;
    private final List<String> unexpected;
    private final List<String> mismatched;

    /**
     * @param message the full description
     * @param files the files that were bound
     * @param missing keys the module needs that no file has
     * @param unexpected keys the files have (under the bound prefix) that the module never took
     * @param mismatched one entry per key whose shape differs: {@code key: expected [..], file has [..]}
     */
    public WeightBindingException(String message, List<Path> files, List<String> missing, List<String> unexpected,
            List<String> mismatched) {
        super(message);
        this.files = List.copyOf(files);
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected);
        this.mismatched = List.copyOf(mismatched);
    }

    /** @return the files that were bound */
    public List<Path> files() {
        return files;
    }

    /** @return full keys the module needs that no file holds */
    public List<String> missing() {
        return missing;
    }

    /** @return full keys present in the files but never taken */
    public List<String> unexpected() {
        return unexpected;
    }

    /** @return descriptions of keys whose shape differs from the expected one */
    public List<String> mismatched() {
        return mismatched;
    }
}
