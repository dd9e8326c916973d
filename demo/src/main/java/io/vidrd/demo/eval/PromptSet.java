package io.vidrd.demo.eval;

import io.vidrd.demo.data.BackgroundColor;
import io.vidrd.demo.data.ClipAttributes;
import io.vidrd.demo.data.Motion;
import io.vidrd.demo.data.ObjectColor;
import io.vidrd.demo.data.ShapeKind;
import io.vidrd.demo.data.Texture;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed prompts the demo model is evaluated on: every colour paired with every translation
 * direction once (a Latin square over colour and direction, shapes and backgrounds cycling), in
 * the training captions' first template, plain backgrounds.
 */
public final class PromptSet {

    private PromptSet() {
    }

    /**
     * @param count how many prompts (at most 64), taken in an order that spreads colours and
     *     directions: the first 8 have 8 different colours and 8 different directions
     * @return the prompts
     */
    public static List<String> motionPrompts(int count) {
        Motion[] directions = {Motion.RIGHT, Motion.LEFT, Motion.UP, Motion.DOWN, Motion.UP_RIGHT, Motion.DOWN_LEFT,
            Motion.UP_LEFT, Motion.DOWN_RIGHT};
        ObjectColor[] colors = ObjectColor.values();
        ShapeKind[] shapes = ShapeKind.values();
        BackgroundColor[] backgrounds = BackgroundColor.values();
        List<String> out = new ArrayList<>();
        for (int round = 0; round < 8 && out.size() < count; round++) {
            for (int i = 0; i < 8 && out.size() < count; i++) {
                ClipAttributes a = new ClipAttributes(shapes[(i + round) % shapes.length], colors[i],
                        backgrounds[(i + 2 * round) % backgrounds.length], Texture.PLAIN, directions[(i + round) % 8]);
                out.add(a.caption(0));
            }
        }
        return out;
    }
}
