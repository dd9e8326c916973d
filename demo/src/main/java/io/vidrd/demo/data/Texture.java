package io.vidrd.demo.data;

/** Background textures; {@link #PLAIN} adds no caption word. */
public enum Texture {
    PLAIN(""), STRIPED("striped "), CHECKERED("checkered ");

    private final String prefix;

    Texture(String prefix) {
        this.prefix = prefix;
    }

    /** @return the caption word with a trailing space, or "" for plain */
    public String prefix() {
        return prefix;
    }
}
