package io.vidrd.engine.json;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the JSON files of a model folder (tokenizer, scheduler) with the runtime's Gson, with
 * messages that name the file and show offending values as written.
 */
public final class JsonFiles {

    private JsonFiles() {
    }

    /**
     * @param file a JSON file
     * @param text its text
     * @return the parsed value ({@link com.google.gson.JsonNull} for an empty text)
     * @throws IOException naming the file when the text is not JSON
     */
    public static JsonElement parse(Path file, String text) throws IOException {
        try {
            return JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new IOException(file + ": invalid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * @param file a JSON file
     * @return the parsed value
     * @throws IOException when the file cannot be read or is not JSON (naming the file)
     */
    public static JsonElement read(Path file) throws IOException {
        return parse(file, Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * @param v a JSON value, or null
     * @return the value of a number written as an integer that fits a long, else null
     */
    public static Long integral(JsonElement v) {
        if (!(v instanceof JsonPrimitive p && p.isNumber())) {
            return null;
        }
        String literal = p.getAsString();
        if (literal.indexOf('.') >= 0 || literal.indexOf('e') >= 0 || literal.indexOf('E') >= 0) {
            return null;
        }
        try {
            return Long.parseLong(literal);
        } catch (NumberFormatException tooLarge) {
            return null;
        }
    }

    /**
     * @param v a JSON value, or null when absent
     * @return the value for a message: strings without quotes, everything else as JSON text
     */
    public static String display(JsonElement v) {
        return v instanceof JsonPrimitive p && p.isString() ? p.getAsString() : String.valueOf(v);
    }

    /**
     * @param v a JSON value, or null
     * @return v unless it is absent or JSON {@code null}
     */
    public static JsonElement present(JsonElement v) {
        return v == null || v.isJsonNull() ? null : v;
    }
}
