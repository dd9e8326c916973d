package io.vidrd.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class Pal8QuantizerTest {

    @Test
    void framesWithAtMost256ColoursAreKeptExactly() {
        int w = 20;
        int h = 16;
        byte[] rgb = new byte[3 * w * h];
        for (int i = 0; i < w * h; i++) {
            int c = i % 200; // 200 distinct colours
            rgb[3 * i] = (byte) c;
            rgb[3 * i + 1] = (byte) (255 - c);
            rgb[3 * i + 2] = (byte) (c * 7);
        }
        assertArrayEquals(rgb, roundTrip(rgb, w, h));
    }

    @Test
    void richFramesGetAClosePalette() {
        byte[] rgb = TestVideos.frame(128, 128, 5).rgb();
        double psnr = TestVideos.psnr(List.of(io.vidrd.api.Frame.ofRgb(128, 128, rgb)), List.of(roundTrip(rgb, 128, 128)));
        System.out.printf("quantized 128x128 frame: %.2f dB%n", psnr);
        assertTrue(psnr > 30, "PSNR " + psnr);
    }

    /** Quantizes and expands the indices through the palette again. */
    private static byte[] roundTrip(byte[] rgb, int w, int h) {
        Pal8Quantizer q = new Pal8Quantizer(w, h);
        ByteBuffer buf = ByteBuffer.allocateDirect(q.bufferSize());
        q.quantize(rgb, buf);
        assertEquals((w * h + 3) / 4 * 4 + 1024, q.bufferSize());
        ByteBuffer pal = buf.duplicate().order(ByteOrder.nativeOrder());
        byte[] out = new byte[rgb.length];
        for (int i = 0; i < w * h; i++) {
            int argb = pal.getInt(q.bufferSize() - 1024 + 4 * (buf.get(i) & 0xFF));
            assertEquals(0xFF, argb >>> 24, "opaque");
            out[3 * i] = (byte) (argb >> 16);
            out[3 * i + 1] = (byte) (argb >> 8);
            out[3 * i + 2] = (byte) argb;
        }
        return out;
    }
}
