package io.vidrd.runtime.golden;

import java.util.List;

/**
 * The outcome of one golden case.
 *
 * @param name the case name in {@code golden.json} → {@code cases}
 * @param tensors one result per compared tensor or check, in order
 * @param seconds wall time the case took
 */
public record CaseResult(String name, List<TensorResult> tensors, double seconds) {

    /** Copies the list. */
    public CaseResult {
        tensors = List.copyOf(tensors);
    }

    /** @return whether the case compared anything and every result passed */
    public boolean passed() {
        return !tensors.isEmpty() && tensors.stream().allMatch(TensorResult::passed);
    }

    /** @return the failed results */
    public List<TensorResult> failures() {
        return tensors.stream().filter(t -> !t.passed()).toList();
    }
}
