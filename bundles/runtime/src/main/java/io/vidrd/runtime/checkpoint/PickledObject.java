package io.vidrd.runtime.checkpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An inert stand-in for an object that a pickle would build by calling something the reader does
 * not allow (any global other than the few a state dict needs: {@code os.system},
 * {@code pathlib.PosixPath}, {@code argparse.Namespace}, optimizer classes, ...). Nothing is
 * called; the object only records what the pickle asked for: the callee, its arguments, the
 * state given to it by {@code BUILD} and the items added to it by {@code SETITEM(S)} /
 * {@code APPEND(S)} / {@code ADDITEMS}. It has no methods that the pickle can reach.
 */
public final class PickledObject {

    /** The pickle opcode that asked for the call. */
    public enum Call { REDUCE, NEWOBJ, NEWOBJ_EX, OBJ, INST }

    private final Object callee;
    private final Call call;
    private final List<Object> args;
    private final Map<Object, Object> kwargs;
    private Object state;
    private boolean hasState;
    private Map<Object, Object> items;
    private List<Object> appended;

    PickledObject(Object callee, Call call, List<Object> args, Map<Object, Object> kwargs) {
        this.callee = callee;
        this.call = call;
        this.args = Collections.unmodifiableList(new ArrayList<>(args));
        this.kwargs = kwargs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
    }

    /**
     * @return the global that was "called", or {@code null} when the callee was not a global
     *     (then see {@link #callee()})
     */
    public PickleGlobal global() {
        return callee instanceof PickleGlobal ? (PickleGlobal) callee : null;
    }

    /** @return what the pickle called: a {@link PickleGlobal} or another decoded object */
    public Object callee() {
        return callee;
    }

    /**
     * @return {@code module.name} of the called global (e.g. {@code os.system}), or a short
     *     description of the callee when it is not a global
     */
    public String qualifiedName() {
        if (callee instanceof PickleGlobal) {
            return ((PickleGlobal) callee).qualifiedName();
        }
        if (callee instanceof PickledObject) {
            return "(result of " + ((PickledObject) callee).qualifiedName() + ")";
        }
        return "(" + (callee == null ? "None" : callee.getClass().getSimpleName()) + ")";
    }

    /** @return the opcode that asked for the call */
    public Call call() {
        return call;
    }

    /** @return the positional arguments it would have been called with (unmodifiable) */
    public List<Object> args() {
        return args;
    }

    /** @return keyword arguments ({@code NEWOBJ_EX} only; otherwise empty) */
    public Map<Object, Object> kwargs() {
        return kwargs;
    }

    /** @return whether a {@code BUILD} gave it a state */
    public boolean hasState() {
        return hasState;
    }

    /** @return the {@code BUILD} state (often a dict of attributes), or {@code null} */
    public Object state() {
        return state;
    }

    /** @return items set on it with {@code SETITEM(S)}, in order (unmodifiable; empty if none) */
    public Map<Object, Object> items() {
        return items == null ? Map.of() : Collections.unmodifiableMap(items);
    }

    /** @return values added with {@code APPEND(S)} or {@code ADDITEMS} (unmodifiable; empty if none) */
    public List<Object> appended() {
        return appended == null ? List.of() : Collections.unmodifiableList(appended);
    }

    void setState(Object newState) {
        this.state = newState;
        this.hasState = true;
    }

    void putItem(Object key, Object value) {
        if (items == null) {
            items = new LinkedHashMap<>();
        }
        items.put(key, value);
    }

    void append(Object value) {
        if (appended == null) {
            appended = new ArrayList<>();
        }
        appended.add(value);
    }

    /** Shallow on purpose: decoded object graphs may be cyclic. */
    @Override
    public String toString() {
        return "PickledObject[" + qualifiedName() + ", " + call + " with " + args.size() + " args"
                + (hasState ? ", with state" : "") + "]";
    }
}
