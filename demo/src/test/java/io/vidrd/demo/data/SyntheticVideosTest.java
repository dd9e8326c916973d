package io.vidrd.demo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticVideosTest {

    private final SyntheticVideos gen = new SyntheticVideos(32, 32, 8);

    @Test
    void sameSeedSamePixelsAndCaption() {
        for (long i = 0; i < 20; i++) {
            Sample a = gen.sample(7, i);
            Sample b = gen.sample(7, i);
            assertEquals(a.caption(), b.caption());
            assertEquals(a.attributes(), b.attributes());
            assertArrayEquals(a.toChwFloats(), b.toChwFloats());
        }
        assertNotEquals(gen.sample(7, 0).caption() + gen.sample(7, 1).caption(),
                gen.sample(8, 0).caption() + gen.sample(8, 1).caption());
    }

    @Test
    void captionNamesTheAttributes() {
        Set<Motion> motions = new HashSet<>();
        boolean sawStill = false;
        for (long i = 0; i < 200; i++) {
            Sample s = gen.sample(3, i);
            assertEquals(8, s.frameCount());
            assertEquals(32, s.width());
            if (s.attributes() instanceof ClipAttributes a) {
                motions.add(a.motion());
                assertTrue(s.caption().contains(a.color().word() + " " + a.shape().word()), s.caption());
                assertTrue(s.caption().contains(a.motion().phrase()), s.caption());
                assertTrue(s.caption().contains(a.texture().prefix() + a.background().words() + " background"), s.caption());
                assertFalse(a.motion() == Motion.ROTATING && a.shape() == ShapeKind.CIRCLE);
            } else {
                StillAttributes a = (StillAttributes) s.attributes();
                sawStill = true;
                assertTrue(s.caption().endsWith(a.move().phrase()), s.caption());
                for (StillAttributes.StillObject o : a.objects()) {
                    assertTrue(s.caption().contains(o.words()), s.caption());
                }
            }
        }
        assertTrue(sawStill);
        assertEquals(Motion.generated().length, motions.size(), "every motion appears in 200 samples");
    }

    @Test
    void objectMovesTheCaptionedWay() {
        for (Motion m : Motion.values()) {
            if (!m.translates()) {
                continue;
            }
            for (long seed = 0; seed < 5; seed++) {
                ClipAttributes a = new ClipAttributes(ShapeKind.SQUARE, ObjectColor.RED, BackgroundColor.BLACK,
                        Texture.PLAIN, m);
                Sample s = gen.render(a, 0, seed);
                double[] first = redCentroid(s.frames().get(0));
                double[] last = redCentroid(s.frames().get(s.frameCount() - 1));
                double dx = last[0] - first[0];
                double dy = last[1] - first[1];
                // at least a quarter of the frame per moving axis, and the other axis still
                assertEquals(m.dx(), Math.abs(dx) < 1 ? 0 : (int) Math.signum(dx), m + " dx " + dx);
                assertEquals(m.dy(), Math.abs(dy) < 1 ? 0 : (int) Math.signum(dy), m + " dy " + dy);
                if (m.dx() != 0) {
                    assertTrue(Math.abs(dx) > 32 * 0.2, m + " dx " + dx);
                }
                if (m.dy() != 0) {
                    assertTrue(Math.abs(dy) > 32 * 0.2, m + " dy " + dy);
                }
            }
        }
    }

    @Test
    void growingGrowsAndPseudoVideoMoves() {
        Sample g = gen.render(new ClipAttributes(ShapeKind.CIRCLE, ObjectColor.RED, BackgroundColor.GRAY,
                Texture.STRIPED, Motion.GROWING), 1, 4);
        assertTrue(redCentroid(g.frames().get(7))[2] > 4 * redCentroid(g.frames().get(0))[2]);
        Sample p = gen.pseudoVideo(11);
        assertNotEquals(java.util.Arrays.toString(pixels(p.frames().get(0))),
                java.util.Arrays.toString(pixels(p.frames().get(7))));
        float[] f = p.toChwFloats();
        assertEquals(8 * 3 * 32 * 32, f.length);
        for (float v : f) {
            assertTrue(v >= -1f && v <= 1f);
        }
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    /** Centroid and area of pixels that are clearly red. */
    private static double[] redCentroid(BufferedImage img) {
        double sx = 0;
        double sy = 0;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                if (((p >> 16) & 0xFF) > 150 && ((p >> 8) & 0xFF) < 100) {
                    sx += x;
                    sy += y;
                    n++;
                }
            }
        }
        return new double[] {sx / n, sy / n, n};
    }
}
