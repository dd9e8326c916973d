package io.vidrd.runtime.checkpoint;

import java.util.Objects;

/**
 * A reference to a Python global ({@code module.name}) as it appears in a pickle, for example
 * {@code torch.float16} or {@code builtins.eval}. It is only a name: the reader never resolves or
 * calls it. Calling it in the pickle produces a {@link PickledObject}.
 */
public final class PickleGlobal {
    private final String module;
    private final String name;

    PickleGlobal(String module, String name) {
        this.module = Objects.requireNonNull(module, "module");
        this.name = Objects.requireNonNull(name, "name");
    }

    /** @return the Python module, e.g. {@code os} */
    public String module() {
        return module;
    }

    /** @return the name inside the module, e.g. {@code system} */
    public String name() {
        return name;
    }

    /** @return {@code module.name}, e.g. {@code os.system} */
    public String qualifiedName() {
        return module + "." + name;
    }

    boolean is(String qualified) {
        return qualifiedName().equals(qualified);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PickleGlobal && ((PickleGlobal) o).module.equals(module)
                && ((PickleGlobal) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return module.hashCode() * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return "global " + qualifiedName();
    }
}
