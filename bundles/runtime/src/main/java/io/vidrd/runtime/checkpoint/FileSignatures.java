package io.vidrd.runtime.checkpoint;

/** Recognises checkpoint formats by their first bytes. */
final class FileSignatures {
    private FileSignatures() {}

    /** @return whether it starts like a zip archive (local file header or empty archive) */
    static boolean isZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K'
                && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    }

    /** @return whether it starts like safetensors: a plausible 8-byte length, then a JSON object */
    static boolean isSafetensors(byte[] head) {
        if (head.length < 9) {
            return false;
        }
        long len = 0;
        for (int i = 7; i >= 0; i--) {
            len = (len << 8) | (head[i] & 0xff);
        }
        return len > 0 && len < (100L << 20) && head[8] == '{';
    }

    /** @return whether it starts with a pickle PROTO opcode (legacy torch.save files do) */
    static boolean isPickle(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 1 && head[1] <= 5;
    }
}
