package io.vidrd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The oversized job of the bench's memory phase must not fit an H200 (141 GiB) in any precision. */
class MemoryChecksTest {

    private static final double GIB = 1024.0 * 1024 * 1024;

    @Test
    void theDefaultOversizedJobExceedsAnH200() {
        // level-0 activation: 2 x 256 frames x 65536 tokens x 320 channels x 2 bytes = 20 GiB (five of
        // them); one row of scores: 5 heads x 65536^2 x 2 bytes = 40 GiB (scores and probabilities)
        assertEquals(180.0, MemoryChecks.oversizedLowerBoundBytes(2048, 256, 2) / GIB, 1e-9);
        assertEquals(360.0, MemoryChecks.oversizedLowerBoundBytes(2048, 256, 4) / GIB, 1e-9);
        assertTrue(MemoryChecks.oversizedLowerBoundBytes(2048, 256, 2) / GIB > 141);
        // the bench's own clip is far below it
        assertTrue(MemoryChecks.oversizedLowerBoundBytes(256, 16, 2) / GIB < 1);
    }
}
