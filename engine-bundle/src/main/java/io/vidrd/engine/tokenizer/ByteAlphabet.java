package io.vidrd.engine.tokenizer;

import java.io.ByteArrayOutputStream;

/**
 * CLIP's (GPT-2's) {@code bytes_to_unicode} alphabet: every byte value gets a printable character
 * so that BPE can work on strings without whitespace or control characters. Printable Latin-1
 * bytes map to themselves, the other 68 bytes to U+0100 upwards in byte order.
 */
final class ByteAlphabet {

    private final char[] byteToChar = new char[256];
    private final int[] charToByte;

    ByteAlphabet() {
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            printable[b] = true;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable[b] = true;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable[b] = true;
        }
        int next = 0;
        for (int b = 0; b < 256; b++) {
            byteToChar[b] = printable[b] ? (char) b : (char) (256 + next++);
        }
        charToByte = new int[256 + next];
        java.util.Arrays.fill(charToByte, -1);
        for (int b = 0; b < 256; b++) {
            charToByte[byteToChar[b]] = b;
        }
    }

    /** @return the alphabet character of a byte */
    char charOf(int unsignedByte) {
        return byteToChar[unsignedByte];
    }

    /** @return one alphabet character per byte */
    String encode(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = byteToChar[bytes[i] & 0xFF];
        }
        return new String(out);
    }

    /**
     * @return the bytes behind alphabet characters
     * @throws IllegalArgumentException for a character outside the alphabet
     */
    byte[] decode(CharSequence symbols) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(symbols.length());
        for (int i = 0; i < symbols.length(); i++) {
            char c = symbols.charAt(i);
            if (c >= charToByte.length || charToByte[c] < 0) {
                throw new IllegalArgumentException("character U+" + Integer.toHexString(c)
                        + " is not in the byte alphabet");
            }
            out.write(charToByte[c]);
        }
        return out.toByteArray();
    }
}
