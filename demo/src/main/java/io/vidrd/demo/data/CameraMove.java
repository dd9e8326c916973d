package io.vidrd.demo.data;

/** Camera moves over a still image that turn it into a pseudo-video (the paper's image data). */
public enum CameraMove {
    ZOOM_IN("zooming in"), ZOOM_OUT("zooming out"), PAN_LEFT("panning left"), PAN_RIGHT("panning right"),
    PAN_UP("panning up"), PAN_DOWN("panning down");

    private final String phrase;

    CameraMove(String phrase) {
        this.phrase = phrase;
    }

    /** @return the caption phrase */
    public String phrase() {
        return phrase;
    }
}
