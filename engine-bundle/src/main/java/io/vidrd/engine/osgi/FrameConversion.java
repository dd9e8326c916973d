package io.vidrd.engine.osgi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vidrd.api.Frame;
import java.util.ArrayList;
import java.util.List;

/** Decoded pixels to 8-bit frames, quantised as the official writer does. */
final class FrameConversion {

    private FrameConversion() {}

    /**
     * @param video {@code [1, 3, F, H, W]} in [0, 1]
     * @return F frames; each value is {@code (uint8) (x * 255)} — truncation, like the official
     *     {@code save_videos_grid}, not rounding
     */
    static List<Frame> toFrames(NDArray video) {
        Shape s = video.getShape();
        if (s.dimension() != 5 || s.get(0) != 1 || s.get(1) != 3) {
            throw new IllegalArgumentException("expected [1, 3, F, H, W] pixels, got " + s);
        }
        int frames = (int) s.get(2);
        int h = (int) s.get(3);
        int w = (int) s.get(4);
        byte[] all;
        try (NDArray scaled = video.toType(DataType.FLOAT32, false).mul(255f);
                NDArray bytes = scaled.toType(DataType.UINT8, false);
                NDArray hwc = bytes.squeeze(0).transpose(1, 2, 3, 0)) {
            all = hwc.toByteArray();
        }
        int size = h * w * 3;
        List<Frame> out = new ArrayList<>(frames);
        for (int f = 0; f < frames; f++) {
            byte[] rgb = new byte[size];
            System.arraycopy(all, f * size, rgb, 0, size);
            out.add(Frame.ofRgb(w, h, rgb));
        }
        return out;
    }
}
