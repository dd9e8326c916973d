package io.vidrd.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidrd.api.Clip;
import io.vidrd.api.Frame;
import io.vidrd.api.Video;
import io.vidrd.api.VideoFormat;
import io.vidrd.api.VideoWriter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Encodes a synthetic 24-frame 64x64 video at 8 fps in every format, clip by clip, and reads
 * it back with FFmpeg (ImageIO for PNG).
 */
class FfmpegVideoEncoderTest {

    static final int W = 64;
    static final int H = 64;
    static final double FPS = 8;

    private static FfmpegVideoEncoder encoder;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadNatives() {
        VideoCodecs codecs = FfmpegLibraries.load();
        System.out.println("encoders: " + codecs);
        encoder = new FfmpegVideoEncoder(EncoderSettings.DEFAULTS, codecs);
    }

    /**
     * Lowest acceptable PSNR per format, RGB over all channels and luma only: measured values
     * minus a margin (the test prints them). On this 64x64 content yuv420p alone, losslessly
     * stored, reaches only about 30.4 dB RGB / 45 dB luma: halving chroma resolution costs
     * more than the codec does, so MP4 and WebM are held to luma mainly.
     */
    static double[] minPsnr(VideoFormat f) {
        return switch (f) {
            case MP4, WEBM -> new double[] {27, 38};
            case GIF -> new double[] {30, 30};
            case PNG -> new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        };
    }

    /** Matroska stores tag names upper-case, MP4 as given. */
    static String tag(Map<String, String> tags, String key) {
        return tags.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(key)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    @ParameterizedTest
    @EnumSource(VideoFormat.class)
    void encodesClipByClipAndDecodesBack(VideoFormat format) throws Exception {
        List<Clip> clips = TestVideos.clips(W, H, 3, 8);
        List<Frame> all = clips.stream().flatMap(c -> c.frames().stream()).toList();
        Map<String, String> meta = TestVideos.metadata();
        Path target = dir.resolve("out." + format.extension());

        VideoWriter w = encoder.open(target, format, W, H, FPS, meta);
        for (Clip c : clips) {
            w.write(c);
            assertFalse(Files.exists(target), "target must not appear before close");
        }
        w.close();
        w.close(); // a second close does nothing

        assertEquals(Set.of(target.getFileName().toString(), target.getFileName() + ".json"), names(dir),
                "only the output and its sidecar remain");
        long bytes = format == VideoFormat.PNG ? sizeOfTree(target) : Files.size(target);

        List<byte[]> decoded;
        if (format == VideoFormat.PNG) {
            decoded = readPngs(target);
        } else {
            Decoded d = Decoded.read(target);
            assertEquals(W, d.width());
            assertEquals(H, d.height());
            double fpsTolerance = format == VideoFormat.GIF ? 0.5 : 0.01; // GIF delays are whole centiseconds
            assertEquals(FPS, d.fps(), fpsTolerance, "fps");
            decoded = d.frames();
            if (format != VideoFormat.GIF) {
                for (String key : meta.keySet()) {
                    assertEquals(meta.get(key), tag(d.metadata(), key), key);
                }
                assertEquals(meta.get("prompt"), tag(d.metadata(), "title"));
                String comment = tag(d.metadata(), "comment");
                assertEquals(new java.util.TreeMap<>(meta), new com.google.gson.Gson().fromJson(comment,
                        new com.google.gson.reflect.TypeToken<java.util.TreeMap<String, String>>() { }.getType()));
            }
            System.out.printf(Locale.ROOT, "%s: codec %s, %d bytes, fps %.3f, tags %s%n", format, d.codec(), bytes,
                    d.fps(), new TreeSet<>(d.metadata().keySet()));
        }
        assertEquals(all.size(), decoded.size(), "frame count");
        double psnr = TestVideos.psnr(all, decoded);
        double luma = TestVideos.lumaPsnr(all, decoded);
        double worst = Double.POSITIVE_INFINITY;
        for (int i = 0; i < all.size(); i++) {
            worst = Math.min(worst, TestVideos.psnr(List.of(all.get(i)), List.of(decoded.get(i))));
        }
        double[] min = minPsnr(format);
        System.out.printf(Locale.ROOT, "%s: PSNR RGB %.2f dB (worst frame %.2f), luma %.2f dB; thresholds %.0f / %.0f; %d bytes%n",
                format, psnr, worst, luma, min[0], min[1], bytes);
        assertTrue(psnr >= min[0], format + " RGB PSNR " + psnr);
        assertTrue(worst >= min[0] - 2, format + " worst-frame RGB PSNR " + worst);
        assertTrue(luma >= min[1], format + " luma PSNR " + luma);

        MetadataSidecar s = MetadataSidecar.read(MetadataSidecar.pathFor(target));
        assertEquals(new java.util.TreeMap<>(meta), s.metadata());
        assertEquals(format, s.videoFormat());
        assertEquals(all.size(), s.frames());
        assertEquals(W, s.width());
        assertEquals(H, s.height());
        assertEquals(FPS, s.fps());
        assertEquals(format == VideoFormat.PNG ? "png" : encoder.codecs().forFormat(format).orElseThrow(), s.codec());
    }

    @ParameterizedTest
    @EnumSource(VideoFormat.class)
    void abortLeavesNothing(VideoFormat format) throws Exception {
        Path target = dir.resolve("aborted." + format.extension());
        VideoWriter w = encoder.open(target, format, W, H, FPS, Map.of());
        w.write(TestVideos.clips(W, H, 1, 4).get(0));
        assertFalse(names(dir).isEmpty(), "a temporary exists while writing");
        w.abort();
        w.abort();
        w.close(); // after abort, close does nothing
        assertEquals(Set.of(), names(dir));
        assertThrows(IllegalStateException.class, () -> w.write(TestVideos.frame(W, H, 0)));
    }

    @ParameterizedTest
    @EnumSource(VideoFormat.class)
    void replacesAnExistingTarget(VideoFormat format) throws Exception {
        Path target = dir.resolve("again." + format.extension());
        for (int round = 1; round <= 2; round++) {
            VideoWriter w = encoder.open(target, format, W, H, FPS, Map.of("round", Integer.toString(round)));
            for (int i = 0; i < round * 2; i++) {
                w.write(TestVideos.frame(W, H, i));
            }
            w.close();
        }
        assertEquals("2", MetadataSidecar.read(MetadataSidecar.pathFor(target)).metadata().get("round"));
        int frames = format == VideoFormat.PNG ? readPngs(target).size() : Decoded.read(target).frames().size();
        assertEquals(4, frames);
        assertEquals(Set.of(target.getFileName().toString(), target.getFileName() + ".json"), names(dir));
    }

    @Test
    void encodeWritesAWholeVideo() throws Exception {
        List<Frame> frames = TestVideos.clips(W, H, 1, 5).get(0).frames();
        Path target = dir.resolve("whole.webm");
        encoder.encode(Video.of(frames, 12.5, TestVideos.metadata()), target, VideoFormat.WEBM);
        Decoded d = Decoded.read(target);
        assertEquals(5, d.frames().size());
        assertEquals(12.5, d.fps(), 0.01);
    }

    @Test
    void wrongFrameSizeIsRejectedAndTheWriterStillWorks() throws Exception {
        Path target = dir.resolve("size.mp4");
        VideoWriter w = encoder.open(target, VideoFormat.MP4, W, H, FPS, Map.of());
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> w.write(TestVideos.frame(32, 64, 0)));
            assertTrue(e.getMessage().contains("32x64") && e.getMessage().contains("64x64"), e.getMessage());
            w.write(TestVideos.frame(W, H, 0));
            w.close();
        } finally {
            w.abort();
        }
        assertEquals(1, Decoded.read(target).frames().size());
    }

    @Test
    void missingDirectoryIsAnIOException() {
        Path target = dir.resolve("no/such/dir/out.mp4");
        IOException e = assertThrows(IOException.class, () -> encoder.open(target, VideoFormat.MP4, W, H, FPS, Map.of()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void outputsGetTheFolderUsualPermissionsNotOwnerOnly() throws Exception {
        Path plain = Files.createFile(dir.resolve("reference"));
        Path target = dir.resolve("perm.mp4");
        VideoWriter w = encoder.open(target, VideoFormat.MP4, W, H, FPS, Map.of());
        for (Clip c : TestVideos.clips(W, H, 1, 4)) {
            w.write(c);
        }
        w.close();
        // a video is for sharing: the same permissions any new file in that folder gets (umask)
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(target));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(dir.resolve("perm.mp4.json")));
    }

    @Test
    void parentThatIsAFileIsAnIOException() throws Exception {
        Path file = Files.createFile(dir.resolve("plain"));
        assertThrows(IOException.class, () -> encoder.open(file.resolve("out.webm"), VideoFormat.WEBM, W, H, FPS, Map.of()));
        assertThrows(IOException.class, () -> encoder.open(file.resolve("frames"), VideoFormat.PNG, W, H, FPS, Map.of()));
    }

    @Test
    void aFolderNobodyMayWriteIsAnIOException() {
        // procfs refuses new files even to root (CI runs as root, where chmod-ed folders stay writable)
        Path procfs = Path.of("/proc");
        assertTrue(Files.isDirectory(procfs), "this test needs Linux procfs");
        for (VideoFormat f : VideoFormat.values()) {
            assertThrows(IOException.class, () -> encoder.open(procfs.resolve("vidrd-out." + f.extension()), f, W, H, FPS,
                    Map.of()), f.toString());
        }
    }

    @Test
    void unknownFormatNameIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VideoFormat.fromName("avi"));
        assertTrue(e.getMessage().contains("mp4"), e.getMessage());
    }

    @Test
    void badSizesAndRatesAreRejected() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> encoder.open(dir.resolve("a.mp4"), VideoFormat.MP4, 63, 64, FPS, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> encoder.open(dir.resolve("a.webm"), VideoFormat.WEBM, 64, 63, FPS, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> encoder.open(dir.resolve("a.gif"), VideoFormat.GIF, 0, 64, FPS, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> encoder.open(dir.resolve("a.mp4"), VideoFormat.MP4, W, H, 0, Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> encoder.open(dir.resolve("a.mp4"), VideoFormat.MP4, W, H, Double.NaN, Map.of()));
        assertEquals(Set.of(), names(dir));
    }

    @Test
    void closingWithoutFramesPublishesNothing() throws Exception {
        VideoWriter w = encoder.open(dir.resolve("empty.mp4"), VideoFormat.MP4, W, H, FPS, Map.of());
        IOException e = assertThrows(IOException.class, w::close);
        assertTrue(e.getMessage().contains("no frames"), e.getMessage());
        assertEquals(Set.of(), names(dir));
    }

    @Test
    void oddSizedPngAndGifHeightWork() throws Exception {
        Path png = dir.resolve("odd");
        VideoWriter w = encoder.open(png, VideoFormat.PNG, 33, 17, FPS, Map.of());
        w.write(TestVideos.frame(33, 17, 3));
        w.close();
        assertEquals(TestVideos.frame(33, 17, 3), Frame.ofRgb(33, 17, readPngs(png).get(0)));
        Path gif = dir.resolve("odd.gif");
        w = encoder.open(gif, VideoFormat.GIF, 34, 17, FPS, Map.of());
        w.write(TestVideos.frame(34, 17, 3));
        w.close();
        assertEquals(1, Decoded.read(gif).frames().size());
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static long sizeOfTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static List<byte[]> readPngs(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            assertEquals(PngSequenceWriter.fileName(i), files.get(i).getFileName().toString());
            BufferedImage img = ImageIO.read(files.get(i).toFile());
            byte[] rgb = new byte[3 * img.getWidth() * img.getHeight()];
            for (int y = 0, p = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++, p += 3) {
                    int c = img.getRGB(x, y);
                    rgb[p] = (byte) (c >> 16);
                    rgb[p + 1] = (byte) (c >> 8);
                    rgb[p + 2] = (byte) c;
                }
            }
            out.add(rgb);
        }
        return out;
    }
}
