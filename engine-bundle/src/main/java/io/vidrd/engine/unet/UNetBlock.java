package io.vidrd.engine.unet;

import ai.djl.ndarray.NDArray;
import io.vidrd.runtime.nn.ResnetBlock;
import io.vidrd.runtime.nn.TemporalConv;
import io.vidrd.runtime.nn.Weights;
import java.util.List;

/** The layer stack the U-Net's blocks share: resnet → temporal conv → (transformer), n times. */
abstract class UNetBlock {

    /** Units per U-Net temporal conv layer and their GroupNorm settings (fixed in the reference). */
    static final int TEMPORAL_UNITS = 4;
    static final int TEMPORAL_GROUPS = 32;
    static final float TEMPORAL_EPS = 1e-5f;

    final ResnetBlock[] resnets;
    final TemporalConv[] tempConvs;
    final Transformer3D[] attentions;

    /**
     * @param w view at the block
     * @param c configuration
     * @param resnetIn input channels of each resnet
     * @param out output channels of every resnet
     * @param heads attention heads, or 0 for a block without transformers
     * @param temporalAttention whether its transformers have temporal attention
     * @param outputScale resnet output scale
     */
    UNetBlock(Weights w, UNetConfig c, List<Integer> resnetIn, int out, int heads, boolean temporalAttention,
            float outputScale, int transformers) {
        int n = resnetIn.size();
        resnets = new ResnetBlock[n];
        tempConvs = c.flags().addTempConv() ? new TemporalConv[n] : null;
        for (int i = 0; i < n; i++) {
            resnets[i] = new ResnetBlock(w.at("resnets." + i), new ResnetBlock.Config(resnetIn.get(i), out,
                    c.timeEmbedDim(), c.normNumGroups(), c.normEps(), outputScale));
            if (tempConvs != null) {
                tempConvs[i] = new TemporalConv(w.at("temp_convs." + i), out, TEMPORAL_UNITS, TEMPORAL_GROUPS, TEMPORAL_EPS);
            }
        }
        attentions = new Transformer3D[transformers];
        for (int i = 0; i < transformers; i++) {
            attentions[i] = new Transformer3D(w.at("attentions." + i), out, heads, c, temporalAttention);
        }
    }

    /** Resnet i then its temporal conv layer. */
    NDArray resnet(int i, NDArray x, NDArray temb) {
        NDArray h = resnets[i].forward(x, temb);
        return tempConvs == null ? h : tempConvs[i].forward(h);
    }
}
