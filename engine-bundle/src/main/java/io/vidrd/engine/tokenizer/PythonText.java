package io.vidrd.engine.tokenizer;

/**
 * The Python string operations the reference tokenizer relies on, where Java's own differ:
 * Python's notion of whitespace ({@code str.isspace}, which its {@code re} module's {@code \s}
 * also uses) includes U+001C–U+001F and U+0085 and is neither Java's {@code \s} nor
 * {@link Character#isWhitespace}.
 */
final class PythonText {

    private PythonText() {
    }

    /** @return whether Python's {@code str.isspace()} is true for this code point */
    static boolean isSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0
                || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029
                || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** @return {@code re.sub(r"\s+", " ", text).strip()}, CLIP's {@code whitespace_clean} */
    static String collapseWhitespace(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        boolean pendingSpace = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isSpace(cp)) {
                pendingSpace = sb.length() > 0;
            } else {
                if (pendingSpace) {
                    sb.append(' ');
                    pendingSpace = false;
                }
                sb.appendCodePoint(cp);
            }
        }
        return sb.toString();
    }

    /** @return {@code text.strip()} with Python's whitespace */
    static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && isSpace(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(start, end);
    }
}
