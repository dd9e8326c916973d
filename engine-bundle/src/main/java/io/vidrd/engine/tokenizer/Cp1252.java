package io.vidrd.engine.tokenizer;

/**
 * The C1 range (0x80–0x9F) of "sloppy" Windows-1252: the five bytes Windows-1252 leaves
 * undefined map to the same-numbered C1 control, as in ftfy's {@code sloppy-windows-1252} and
 * Python's {@code html._invalid_charrefs}.
 */
final class Cp1252 {

    private static final char[] C1 = {
        '\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021',
        '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
        '\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014',
        '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178',
    };

    private Cp1252() {
    }

    /** @return whether the code point is a C1 control */
    static boolean isC1(int cp) {
        return cp >= 0x80 && cp <= 0x9F;
    }

    /** @return the Windows-1252 character of a C1 byte value (0x80–0x9F) */
    static char ofC1(int cp) {
        return C1[cp - 0x80];
    }
}
