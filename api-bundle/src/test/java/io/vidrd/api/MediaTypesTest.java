package io.vidrd.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Frame, Clip, Video, Progress, VideoFormat and the default methods of the service interfaces. */
class MediaTypesTest {

    private static Frame frame(int w, int h, int seed) {
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (i * 7 + seed);
        }
        return Frame.ofRgb(w, h, rgb);
    }

    @Test
    void frameValidatesAndCopies() {
        byte[] rgb = {1, 2, 3, (byte) 0xFF, (byte) 0x80, 0};
        Frame f = Frame.ofRgb(2, 1, rgb);
        rgb[0] = 99;
        assertEquals(0x010203, f.rgbAt(0, 0));
        assertEquals(0xFF8000, f.rgbAt(1, 0));
        byte[] out = f.rgb();
        out[1] = 99;
        assertEquals(0x010203, f.rgbAt(0, 0));
        byte[] dst = new byte[8];
        f.copyRgbTo(dst, 2);
        assertArrayEquals(new byte[] {0, 0, 1, 2, 3, (byte) 0xFF, (byte) 0x80, 0}, dst);
        assertThrows(IndexOutOfBoundsException.class, () -> f.copyRgbTo(dst, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> f.rgbAt(2, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> f.rgbAt(0, -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Frame.ofRgb(2, 2, new byte[6]));
        assertTrue(e.getMessage().contains("12"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Frame.ofRgb(0, 1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Frame.ofRgb(65536, 65536, new byte[0]));
        assertEquals(Frame.ofRgb(2, 1, f.rgb()), f);
        assertEquals(f.hashCode(), Frame.ofRgb(2, 1, f.rgb()).hashCode());
        assertNotEquals(Frame.ofRgb(1, 2, f.rgb()), f);
        assertEquals("Frame[2x1]", f.toString());
    }

    @Test
    void videoValidatesAndCopies() {
        List<Frame> frames = new ArrayList<>(List.of(frame(4, 2, 0), frame(4, 2, 1)));
        Map<String, String> meta = new HashMap<>(Map.of("seed", "42", "prompt", "p"));
        Video v = Video.of(frames, 8, meta);
        frames.clear();
        meta.put("seed", "1");
        assertEquals(2, v.frameCount());
        assertEquals(4, v.width());
        assertEquals(2, v.height());
        assertEquals(0.25, v.durationSeconds());
        assertEquals("42", v.metadata().get("seed"));
        assertEquals(List.of("prompt", "seed"), List.copyOf(v.metadata().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> v.frames().clear());
        assertThrows(UnsupportedOperationException.class, () -> v.metadata().put("x", "y"));

        assertThrows(IllegalArgumentException.class, () -> Video.of(List.of(), 8, Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Video.of(List.of(frame(4, 2, 0), frame(2, 4, 0)), 8, Map.of()));
        assertTrue(e.getMessage().contains("frame 1 is 2x4"), e.getMessage());
        for (double fps : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> Video.of(List.of(frame(4, 2, 0)), fps, Map.of()));
        }
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        assertThrows(NullPointerException.class, () -> Video.of(List.of(frame(4, 2, 0)), 8, nullValue));
    }

    @Test
    void clipValidates() {
        Clip c = Clip.of(1, List.of(frame(8, 8, 0), frame(8, 8, 1)), 8);
        assertEquals(2, c.size());
        assertEquals(8, c.width());
        assertThrows(UnsupportedOperationException.class, () -> c.frames().clear());
        assertThrows(IllegalArgumentException.class, () -> Clip.of(-1, List.of(frame(8, 8, 0)), 0));
        assertThrows(IllegalArgumentException.class, () -> Clip.of(0, List.of(frame(8, 8, 0)), -1));
        assertThrows(IllegalArgumentException.class, () -> Clip.of(0, List.of(), 0));
    }

    @Test
    void progressFractionAndEta() {
        Progress p = new Progress(1, 4, 25, 50, 3000);
        assertEquals(0.375, p.fraction());
        assertEquals(OptionalLong.of(5000), p.etaMillis());
        assertEquals(OptionalLong.empty(), Progress.initial(4, 50).etaMillis());
        assertEquals(1.0, new Progress(3, 4, 50, 50, 10).fraction());
        assertThrows(IllegalArgumentException.class, () -> new Progress(4, 4, 0, 50, 0));
        assertThrows(IllegalArgumentException.class, () -> new Progress(0, 1, 51, 50, 0));
        assertThrows(IllegalArgumentException.class, () -> new Progress(0, 1, 0, 50, -1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mp4", "MP4", " Mp4 ", ".mp4"})
    void formatFromName(String name) {
        assertEquals(VideoFormat.MP4, VideoFormat.fromName(name));
    }

    @Test
    void formatParsing() {
        assertEquals(VideoFormat.WEBM, VideoFormat.fromName("webm"));
        assertEquals(VideoFormat.GIF, VideoFormat.fromName("GIF"));
        assertEquals(VideoFormat.PNG, VideoFormat.fromName("png"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VideoFormat.fromName("avi"));
        assertTrue(e.getMessage().contains("'avi'") && e.getMessage().contains("mp4, webm, gif, png"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VideoFormat.fromName(null));
        assertEquals(Optional.of(VideoFormat.MP4), VideoFormat.fromFileName("out/boat.MP4"));
        assertEquals(Optional.of(VideoFormat.GIF), VideoFormat.fromFileName("a.b\\c.gif"));
        assertEquals(Optional.empty(), VideoFormat.fromFileName("dir.mp4/video"));
        assertEquals(Optional.empty(), VideoFormat.fromFileName(".mp4"));
        assertEquals(Optional.empty(), VideoFormat.fromFileName("video.avi"));
        assertEquals(Optional.empty(), VideoFormat.fromFileName(null));
        assertEquals("webm", VideoFormat.WEBM.extension());
        assertEquals("video/mp4", VideoFormat.MP4.mimeType());
    }

    @Test
    void encodeAbortsOnFailureAndClosesOnSuccess() throws IOException {
        List<String> calls = new ArrayList<>();
        VideoEncoder encoder = (target, format, w, h, fps, meta) -> new VideoWriter() {
            @Override
            public void write(Frame frame) throws IOException {
                calls.add("write");
                if (calls.size() == 2 && target.toString().equals("fail")) {
                    throw new IOException("disk full");
                }
            }

            @Override
            public void close() {
                calls.add("close");
            }

            @Override
            public void abort() {
                calls.add("abort");
            }
        };
        Video v = Video.of(List.of(frame(2, 2, 0), frame(2, 2, 1), frame(2, 2, 2)), 8, Map.of());
        encoder.encode(v, Path.of("ok"), VideoFormat.GIF);
        assertEquals(List.of("write", "write", "write", "close"), calls);
        calls.clear();
        assertThrows(IOException.class, () -> encoder.encode(v, Path.of("fail"), VideoFormat.GIF));
        assertEquals(List.of("write", "write", "abort"), calls);
    }

    @Test
    void generateCancelsTheJobWhenInterrupted() {
        boolean[] cancelled = {false};
        GenerationRequest request = GenerationRequest.builder("x").build();
        VideoGenerator generator = new VideoGenerator() {
            @Override
            public GenerationJob submit(GenerationRequest r, GenerationListener listener) {
                assertSame(GenerationListener.noop(), listener);
                return new GenerationJob() {
                    @Override public String id() { return "1"; }
                    @Override public GenerationRequest request() { return r; }
                    @Override public JobStatus status() { return JobStatus.RUNNING; }
                    @Override public Progress progress() { return Progress.initial(1, 50); }
                    @Override public boolean cancel() { cancelled[0] = true; return true; }
                    @Override public Video await() throws InterruptedException { throw new InterruptedException(); }
                    @Override public Optional<Video> await(long t, java.util.concurrent.TimeUnit u) { return Optional.empty(); }
                    @Override public Optional<String> failureReason() { return Optional.empty(); }
                };
            }

            @Override
            public EngineInfo info() {
                return new EngineInfo("e", "1", "m", "cpu", "float32", Map.of());
            }
        };
        assertThrows(InterruptedException.class, () -> generator.generate(request));
        assertTrue(cancelled[0]);
        assertEquals(Optional.empty(), generator.submit(request, GenerationListener.noop()).result());

        Map<String, String> meta = VideoMetadata.of(request, generator.info());
        assertEquals("e", meta.get(VideoMetadata.ENGINE_NAME));
        assertEquals("cpu", meta.get("vidrd.device"));
        assertEquals(request, GenerationRequest.fromParameters(meta));
    }

    @Test
    void exceptionsAndStatus() {
        JobCancelledException e = new JobCancelledException("engine stopped");
        assertEquals("engine stopped", e.reason());
        assertTrue(e.getMessage().contains("engine stopped"));
        assertThrows(IllegalArgumentException.class, () -> new InvalidRequestException(List.of()));
        assertTrue(JobStatus.CANCELLED.isTerminal() && JobStatus.FAILED.isTerminal() && JobStatus.SUCCEEDED.isTerminal());
        assertTrue(!JobStatus.QUEUED.isTerminal() && !JobStatus.RUNNING.isTerminal());
    }
}
