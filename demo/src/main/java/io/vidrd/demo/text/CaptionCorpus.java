package io.vidrd.demo.text;

import io.vidrd.demo.data.BackgroundColor;
import io.vidrd.demo.data.CameraMove;
import io.vidrd.demo.data.ClipAttributes;
import io.vidrd.demo.data.Motion;
import io.vidrd.demo.data.ObjectColor;
import io.vidrd.demo.data.ShapeKind;
import io.vidrd.demo.data.StillAttributes;
import io.vidrd.demo.data.Texture;
import java.util.ArrayList;
import java.util.List;

/** Every caption the synthetic data can produce, for building the vocabulary. */
public final class CaptionCorpus {

    private CaptionCorpus() {
    }

    /**
     * @return every motion-clip caption (all attributes, all templates) and the one- and
     *     two-object still captions, so word frequencies follow the caption language
     */
    public static List<String> captions() {
        List<String> out = new ArrayList<>();
        for (ShapeKind s : ShapeKind.values()) {
            for (ObjectColor c : ObjectColor.values()) {
                for (BackgroundColor b : BackgroundColor.values()) {
                    for (Texture t : Texture.values()) {
                        for (Motion m : Motion.generated()) {
                            ClipAttributes a = new ClipAttributes(s, c, b, t, m);
                            for (int i = 0; i < ClipAttributes.templateCount(); i++) {
                                out.add(a.caption(i));
                            }
                        }
                        for (CameraMove move : CameraMove.values()) {
                            out.add(new StillAttributes(List.of(new StillAttributes.StillObject(s, c),
                                    new StillAttributes.StillObject(ShapeKind.values()[(s.ordinal() + 1) % 4],
                                            ObjectColor.values()[(c.ordinal() + 3) % 8])), b, t, move).caption());
                        }
                    }
                }
            }
        }
        return out;
    }
}
