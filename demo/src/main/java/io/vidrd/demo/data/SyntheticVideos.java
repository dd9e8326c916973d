package io.vidrd.demo.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates captioned synthetic videos with Java2D, on the fly and reproducibly: the same seed
 * gives the same pixels and caption (Java2D's software rasteriser is deterministic for a given
 * JDK). Two kinds: motion clips (one object moving, growing, shrinking or rotating on a plain or
 * textured background) and pseudo-videos (a still image of several objects under a camera zoom
 * or pan, the paper's way of using image data).
 *
 * <p>Immutable and thread-safe: every call makes its own random source from its seed.
 */
public final class SyntheticVideos {

    /** Star inner radius over outer radius; small enough that a star's fill ratio is far below a triangle's. */
    static final double STAR_INNER = 0.4;
    /** Share of {@link #sample} calls that produce a motion clip rather than a pseudo-video. */
    private static final double MOTION_SHARE = 0.75;
    /** Where a path may start along its direction of travel: this share of the free room is kept clear on each side. */
    private static final double CENTRED_LO = 0.375;

    private final int width;
    private final int height;
    private final int frames;

    /**
     * @param width frame width in pixels (at least 16)
     * @param height frame height in pixels (at least 16)
     * @param frames frames per video (at least 2)
     */
    public SyntheticVideos(int width, int height, int frames) {
        if (width < 16 || height < 16 || frames < 2) {
            throw new IllegalArgumentException("need at least 16x16 pixels and 2 frames, got "
                    + width + "x" + height + ", " + frames + " frames");
        }
        this.width = width;
        this.height = height;
        this.frames = frames;
    }

    /** @return frame width */
    public int width() {
        return width;
    }

    /** @return frame height */
    public int height() {
        return height;
    }

    /** @return frames per video */
    public int frames() {
        return frames;
    }

    /**
     * The {@code index}-th sample of the stream for {@code seed}: a training set that is never
     * stored.
     *
     * @param seed the data set's seed
     * @param index position in the stream
     * @return a motion clip (three in four) or a pseudo-video
     */
    public Sample sample(long seed, long index) {
        long s = mix(seed, index);
        return new SplittableRandom(s).nextDouble() < MOTION_SHARE ? motionClip(s) : pseudoVideo(s ^ 0x5DEECE66DL);
    }

    /**
     * @param seed the seed
     * @return a motion clip with random attributes, caption template, placement and speed
     */
    public Sample motionClip(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ClipAttributes attrs = randomAttributes(rnd);
        return render(attrs, rnd.nextInt(ClipAttributes.templateCount()), rnd.nextLong());
    }

    /**
     * @param rnd the stream drawn from
     * @return what a motion clip shows: uniform motion, shape, colour, background and texture,
     *     never a rotating circle
     */
    public static ClipAttributes randomAttributes(SplittableRandom rnd) {
        Motion[] motions = Motion.generated();
        Motion motion = motions[rnd.nextInt(motions.length)];
        ShapeKind shape = pick(rnd, ShapeKind.values());
        while (motion == Motion.ROTATING && shape == ShapeKind.CIRCLE) {
            // a rotating circle is a still circle: its caption would lie
            shape = pick(rnd, ShapeKind.values());
        }
        return new ClipAttributes(shape, pick(rnd, ObjectColor.values()), pick(rnd, BackgroundColor.values()),
                pick(rnd, Texture.values()), motion);
    }

    /**
     * Renders given attributes, as an evaluator's fixed prompt set needs.
     *
     * @param attrs what to show
     * @param template caption template index
     * @param seed placement, size, speed and texture phase
     * @return the clip
     */
    public Sample render(ClipAttributes attrs, int template, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double side = Math.min(width, height);
        double radius = side * (0.14 + 0.06 * rnd.nextDouble());
        Motion m = attrs.motion();
        double r0 = radius;
        double r1 = radius;
        if (m == Motion.GROWING || m == Motion.SHRINKING) {
            double small = side * 0.10;
            double large = side * 0.28;
            r0 = m == Motion.GROWING ? small : large;
            r1 = m == Motion.GROWING ? large : small;
        }
        double maxR = Math.max(r0, r1) + 1;
        double travel = m.translates() ? side * (0.30 + 0.15 * rnd.nextDouble()) : 0;
        double perAxis = m.dx() != 0 && m.dy() != 0 ? travel * 0.8 : travel;
        double spanX = perAxis * Math.abs(m.dx());
        double spanY = perAxis * Math.abs(m.dy());
        double x0 = start(rnd, maxR, width - maxR, spanX, m.dx());
        double y0 = start(rnd, maxR, height - maxR, spanY, m.dy());
        // about half the shape's symmetry period, so the last frame differs most from the first
        double turn = m == Motion.ROTATING ? symmetry(attrs.shape()) * (0.35 + 0.3 * rnd.nextDouble()) : 0;
        long textureSeed = rnd.nextLong();
        List<BufferedImage> out = new ArrayList<>(frames);
        for (int f = 0; f < frames; f++) {
            double t = f / (double) (frames - 1);
            BufferedImage img = background(width, height, attrs.background(), attrs.texture(), textureSeed);
            Graphics2D g = graphics(img);
            g.setColor(attrs.color().awt());
            g.fill(outline(attrs.shape(), x0 + t * spanX * m.dx(), y0 + t * spanY * m.dy(),
                    r0 + t * (r1 - r0), t * turn));
            g.dispose();
            out.add(img);
        }
        return new Sample(out, attrs.caption(template), attrs);
    }

    /**
     * @param seed the seed
     * @return a still image of two or three objects under a random camera zoom or pan
     */
    public Sample pseudoVideo(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int count = 2 + rnd.nextInt(2);
        List<StillAttributes.StillObject> objects = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            objects.add(new StillAttributes.StillObject(pick(rnd, ShapeKind.values()), pick(rnd, ObjectColor.values())));
        }
        StillAttributes attrs = new StillAttributes(objects, pick(rnd, BackgroundColor.values()),
                pick(rnd, Texture.values()), pick(rnd, CameraMove.values()));
        // the still is twice the frame size so that zoom and pan crop real pixels, never borders
        int cw = 2 * width;
        int ch = 2 * height;
        BufferedImage still = background(cw, ch, attrs.background(), attrs.texture(), rnd.nextLong());
        Graphics2D g = graphics(still);
        double side = Math.min(cw, ch);
        for (int i = 0; i < count; i++) {
            // objects on a loose horizontal row so that they rarely overlap
            double cx = cw * (i + 0.5) / count + (rnd.nextDouble() - 0.5) * cw * 0.1;
            double cy = ch * (0.3 + 0.4 * rnd.nextDouble());
            g.setColor(objects.get(i).color().awt());
            g.fill(outline(objects.get(i).shape(), cx, cy, side * (0.09 + 0.05 * rnd.nextDouble()),
                    rnd.nextDouble() * 0.3));
        }
        g.dispose();
        List<BufferedImage> out = new ArrayList<>(frames);
        for (int f = 0; f < frames; f++) {
            double t = f / (double) (frames - 1);
            Rectangle2D crop = crop(attrs.move(), t, cw, ch);
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D fg = img.createGraphics();
            fg.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            AffineTransform at = new AffineTransform();
            at.scale(width / crop.getWidth(), height / crop.getHeight());
            at.translate(-crop.getX(), -crop.getY());
            fg.drawImage(still, at, null);
            fg.dispose();
            out.add(img);
        }
        return new Sample(out, attrs.caption(), attrs);
    }

    /** Crop of the still at time t: zooms between the whole still and 60 % of it; pans a 60 % window. */
    private static Rectangle2D crop(CameraMove move, double t, int cw, int ch) {
        double small = 0.6;
        switch (move) {
            case ZOOM_IN, ZOOM_OUT -> {
                double s = move == CameraMove.ZOOM_IN ? 1 - t * (1 - small) : small + t * (1 - small);
                return new Rectangle2D.Double(cw * (1 - s) / 2, ch * (1 - s) / 2, cw * s, ch * s);
            }
            default -> {
                double free = 1 - small;
                double px = switch (move) {
                    case PAN_LEFT -> free * (1 - t);
                    case PAN_RIGHT -> free * t;
                    default -> free / 2;
                };
                double py = switch (move) {
                    case PAN_UP -> free * (1 - t);
                    case PAN_DOWN -> free * t;
                    default -> free / 2;
                };
                return new Rectangle2D.Double(cw * px, ch * py, cw * small, ch * small);
            }
        }
    }

    /**
     * @param shape the shape
     * @param cx centre x
     * @param cy centre y
     * @param r outer radius (a square's half side is 0.85 r so that all shapes look about as big)
     * @param angle rotation in radians
     * @return the outline in image coordinates
     */
    static Shape outline(ShapeKind shape, double cx, double cy, double r, double angle) {
        Shape base = switch (shape) {
            case CIRCLE -> new Ellipse2D.Double(-r, -r, 2 * r, 2 * r);
            case SQUARE -> new Rectangle2D.Double(-0.85 * r, -0.85 * r, 1.7 * r, 1.7 * r);
            case TRIANGLE -> polygon(3, r, r);
            case STAR -> polygon(5, r, r * STAR_INNER);
        };
        AffineTransform at = AffineTransform.getTranslateInstance(cx, cy);
        at.rotate(angle);
        return at.createTransformedShape(base);
    }

    /** A regular polygon (inner == outer) or star pointing up. */
    private static Shape polygon(int points, double outer, double inner) {
        Path2D.Double p = new Path2D.Double();
        int n = inner == outer ? points : 2 * points;
        for (int i = 0; i < n; i++) {
            double rr = inner == outer || i % 2 == 0 ? outer : inner;
            double a = -Math.PI / 2 + 2 * Math.PI * i / n;
            if (i == 0) {
                p.moveTo(rr * Math.cos(a), rr * Math.sin(a));
            } else {
                p.lineTo(rr * Math.cos(a), rr * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }

    /** Rotation after which the shape looks the same again (a circle never changes). */
    private static double symmetry(ShapeKind shape) {
        return switch (shape) {
            case CIRCLE -> 0;
            case SQUARE -> Math.PI / 2;
            case TRIANGLE -> 2 * Math.PI / 3;
            case STAR -> 2 * Math.PI / 5;
        };
    }

    private static BufferedImage background(int w, int h, BackgroundColor color, Texture texture, long seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(color.awt());
        g.fillRect(0, 0, w, h);
        if (texture != Texture.PLAIN) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int period = Math.max(3, Math.min(w, h) / 8 + rnd.nextInt(3));
            int phase = rnd.nextInt(period);
            g.setColor(color.textureAwt());
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int cellX = (x + phase) / period;
                    int cellY = (y + phase) / period;
                    boolean on = texture == Texture.STRIPED ? cellX % 2 == 0 : (cellX + cellY) % 2 == 0;
                    if (on) {
                        g.fillRect(x, y, 1, 1);
                    }
                }
            }
        }
        g.dispose();
        return img;
    }

    private static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        return g;
    }

    /** Start coordinate so that the whole path stays inside [lo, hi]. */
    private static double start(SplittableRandom rnd, double lo, double hi, double span, int dir) {
        double free = Math.max(0, hi - lo - span);
        // along the direction of travel the path is centred (the middle quarter of the free room):
        // where the object starts then follows from the caption, so the prompt decides the layout
        // of every frame; with paths anywhere a model could take the trajectory from its noise alone
        double u = dir == 0 ? rnd.nextDouble() : CENTRED_LO + (1 - 2 * CENTRED_LO) * rnd.nextDouble();
        double s = lo + free * u;
        return dir < 0 ? s + span : s;
    }

    private static <T> T pick(SplittableRandom rnd, T[] values) {
        return values[rnd.nextInt(values.length)];
    }

    /** SplitMix64 finaliser over seed and index: neighbouring indices give unrelated streams. */
    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
