package io.vidrd.demo.data;

/**
 * How the object changes over a clip. Image coordinates: x grows to the right, y grows down, so
 * {@link #UP} has {@code dy = -1}.
 */
public enum Motion {
    LEFT("moving to the left", -1, 0), RIGHT("moving to the right", 1, 0),
    UP("moving up", 0, -1), DOWN("moving down", 0, 1),
    UP_LEFT("moving up and to the left", -1, -1), UP_RIGHT("moving up and to the right", 1, -1),
    DOWN_LEFT("moving down and to the left", -1, 1), DOWN_RIGHT("moving down and to the right", 1, 1),
    GROWING("growing", 0, 0), SHRINKING("shrinking", 0, 0), ROTATING("rotating", 0, 0),
    /** Not generated; what the evaluator reports for an object that does not change. */
    STILL("standing still", 0, 0);

    private final String phrase;
    private final int dx;
    private final int dy;

    Motion(String phrase, int dx, int dy) {
        this.phrase = phrase;
        this.dx = dx;
        this.dy = dy;
    }

    /** @return the caption phrase */
    public String phrase() {
        return phrase;
    }

    /** @return horizontal direction −1, 0 or 1 */
    public int dx() {
        return dx;
    }

    /** @return vertical direction −1 (up), 0 or 1 (down) */
    public int dy() {
        return dy;
    }

    /** @return whether the object's position changes */
    public boolean translates() {
        return dx != 0 || dy != 0;
    }

    /** @return the motions the generator draws from */
    public static Motion[] generated() {
        return java.util.Arrays.stream(values()).filter(m -> m != STILL).toArray(Motion[]::new);
    }
}
