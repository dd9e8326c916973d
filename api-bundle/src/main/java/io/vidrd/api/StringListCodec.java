package io.vidrd.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a list of strings as a JSON array of strings, e.g. {@code ["a boat", "a \"big\" boat"]}.
 * JSON rather than a separator because prompts may contain any separator character; written
 * by hand because the API bundle must not depend on a JSON library.
 */
final class StringListCodec {
    private StringListCodec() {
    }

    static String encode(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            String value = values.get(i);
            if (value == null) { // only in error messages about such a list
                sb.append("null");
                continue;
            }
            sb.append('"');
            for (char c : value.toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }
        return sb.append(']').toString();
    }

    /** @throws IllegalArgumentException if the text is not a JSON array of strings */
    static List<String> decode(String text) {
        List<String> out = new ArrayList<>();
        String s = text.strip();
        int i = expect(s, 0, '[');
        i = skipBlanks(s, i);
        if (i < s.length() && s.charAt(i) == ']') {
            return finish(s, i + 1, out);
        }
        while (true) {
            i = expect(s, skipBlanks(s, i), '"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    break;
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    throw new IllegalArgumentException("unterminated escape");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw new IllegalArgumentException("short \\u escape");
                        }
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + e);
                }
            }
            out.add(sb.toString());
            i = skipBlanks(s, i);
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
            } else {
                return finish(s, expect(s, i, ']'), out);
            }
        }
    }

    private static List<String> finish(String s, int i, List<String> out) {
        if (i != s.length()) {
            throw new IllegalArgumentException("text after the closing ]");
        }
        return out;
    }

    private static int skipBlanks(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int expect(String s, int i, char c) {
        if (i >= s.length() || s.charAt(i) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at position " + i);
        }
        return i + 1;
    }
}
