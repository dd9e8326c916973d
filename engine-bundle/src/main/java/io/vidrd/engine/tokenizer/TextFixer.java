package io.vidrd.engine.tokenizer;

import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * The part of {@code ftfy.fix_text} (default options, ftfy 6) that CLIP's tokenizer runs on
 * every piece of a prompt, for the fixes that matter for hand-written or pasted prompts.
 *
 * <p>Covered, in ftfy's order and repeated until the text stops changing: HTML entities (only
 * when the text so far has no {@code <}, ftfy's "auto" rule; see {@link HtmlEntities} for which
 * names), C1 controls read as Windows-1252, Latin ligatures ({@code ﬁ → fi}, {@code Ĳ → IJ}, …),
 * full-width forms to their normal width (NFKC of U+FF01–U+FFEF, U+3000 to a space), curly
 * quotes to straight ones, line-break variants to {@code \n}, lone surrogates to U+FFFD, ANSI
 * terminal escapes removed, other control and format characters removed, and Unicode NFC.
 *
 * <p>Not covered: ftfy's mojibake repair ({@code fix_encoding}: re-decoding text that was
 * UTF-8 misread as Latin-1/Windows-1252, such as {@code cafÃ©}). It needs ftfy's statistical
 * "badness" heuristic and tables; clean UTF-8 prompts are unaffected.
 */
final class TextFixer {

    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[((?:\\d|;)*)([a-zA-Z])");
    private static final int MAX_ROUNDS = 16;

    private TextFixer() {
    }

    /** @return {@code ftfy.fix_text(text)} within the coverage described above */
    static String fix(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean unescapeHtml = true;
        int pos = 0;
        // ftfy fixes line by line, and once a line has shown a '<' it stops unescaping for the rest
        while (pos < text.length()) {
            int lineEnd = text.indexOf('\n', pos);
            lineEnd = lineEnd < 0 ? text.length() : lineEnd + 1;
            String line = text.substring(pos, lineEnd);
            if (line.indexOf('<') >= 0) {
                unescapeHtml = false;
            }
            out.append(fixLine(line, unescapeHtml));
            pos = lineEnd;
        }
        return out.toString();
    }

    private static String fixLine(String text, boolean unescapeHtml) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            String before = text;
            if (unescapeHtml) {
                text = HtmlEntities.unescape(text);
            }
            text = fixC1Controls(text);
            text = fixLatinLigatures(text);
            text = fixCharacterWidth(text);
            text = uncurlQuotes(text);
            text = fixLineBreaks(text);
            text = fixSurrogates(text);
            text = ANSI_ESCAPE.matcher(text).replaceAll("");
            text = removeControlChars(text);
            text = Normalizer.normalize(text, Normalizer.Form.NFC);
            if (text.equals(before)) {
                break;
            }
        }
        return text;
    }

    private static String fixC1Controls(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(Cp1252.isC1(c) ? Cp1252.ofC1(c) : c);
        }
        return sb.toString();
    }

    private static String fixLatinLigatures(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(switch (c) {
                case '\u0132' -> "IJ";
                case '\u0133' -> "ij";
                case '\u0149' -> "\u02BCn";
                case '\u01F1' -> "DZ";
                case '\u01F2' -> "Dz";
                case '\u01F3' -> "dz";
                case '\u01C4' -> "D\u017D";
                case '\u01C5' -> "D\u017E";
                case '\u01C6' -> "d\u017E";
                case '\u01C7' -> "LJ";
                case '\u01C8' -> "Lj";
                case '\u01C9' -> "lj";
                case '\u01CA' -> "NJ";
                case '\u01CB' -> "Nj";
                case '\u01CC' -> "nj";
                case '\uFB00' -> "ff";
                case '\uFB01' -> "fi";
                case '\uFB02' -> "fl";
                case '\uFB03' -> "ffi";
                case '\uFB04' -> "ffl";
                case '\uFB05' -> "\u017Ft";
                case '\uFB06' -> "st";
                default -> String.valueOf(c);
            });
        }
        return sb.toString();
    }

    private static String fixCharacterWidth(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u3000') {
                sb.append(' ');
            } else if (c >= '\uFF01' && c <= '\uFFEF') {
                sb.append(Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKC));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String uncurlQuotes(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u02BC' || (c >= '\u2018' && c <= '\u201B')) {
                sb.append('\'');
            } else if (c >= '\u201C' && c <= '\u201F') {
                sb.append('"');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String fixLineBreaks(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n').replace('\u2028', '\n')
                .replace('\u2029', '\n').replace('\u0085', '\n');
    }

    private static String fixSurrogates(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                sb.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append('\uFFFD');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String removeControlChars(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F
                    || (c >= '\u206A' && c <= '\u206F') || c == '\uFEFF'
                    || (c >= '\uFFF9' && c <= '\uFFFC');
            if (!control) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
