package io.vidrd.demo.data;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A still image turned into a pseudo-video by a camera move (the paper's use of image data).
 *
 * @param objects the objects in the image, as (shape, colour)
 * @param background the background colour
 * @param texture the background texture
 * @param move the camera move
 */
public record StillAttributes(List<StillObject> objects, BackgroundColor background, Texture texture,
        CameraMove move) implements SampleAttributes {

    /** Copies the list. */
    public StillAttributes {
        objects = List.copyOf(objects);
    }

    /**
     * One object of the still image.
     *
     * @param shape its shape
     * @param color its colour
     */
    public record StillObject(ShapeKind shape, ObjectColor color) {
        /** @return e.g. "a red circle" */
        public String words() {
            return "a " + color.word() + " " + shape.word();
        }
    }

    /** @return e.g. "a red circle and a blue star on a gray background, zooming in" */
    public String caption() {
        return objects.stream().map(StillObject::words).collect(Collectors.joining(" and "))
                + " on a " + texture.prefix() + background.words() + " background, " + move.phrase();
    }
}
