package io.vidrd.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vidrd.api.VideoFormat;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VideoCodecsTest {

    @Test
    void prefersOpenH264AndFallsBackToAv1NeverToMpeg4Part2() {
        Set<String> lgpl = Set.of("libopenh264", "libsvtav1", "libaom-av1", "libvpx-vp9", "gif", "mpeg4");
        assertEquals(Optional.of("libopenh264"), VideoCodecs.choose(lgpl::contains).forFormat(VideoFormat.MP4));
        Set<String> noH264 = Set.of("libaom-av1", "mpeg4", "libvpx-vp9", "gif");
        assertEquals(Optional.of("libaom-av1"), VideoCodecs.choose(noH264::contains).forFormat(VideoFormat.MP4));
        assertEquals(Optional.empty(), VideoCodecs.choose(Set.of("mpeg4")::contains).forFormat(VideoFormat.MP4));
        assertEquals(Optional.of("libvpx-vp9"), VideoCodecs.choose(lgpl::contains).forFormat(VideoFormat.WEBM));
    }

    @Test
    void mp4BitrateScalesWithThePictureAboveAFloor() {
        EncoderSettings s = EncoderSettings.DEFAULTS;
        assertEquals(256_000, s.mp4Bitrate(64, 64, 8));
        assertEquals((int) (0.5 * 512 * 512 * 24), s.mp4Bitrate(512, 512, 24));
    }
}
