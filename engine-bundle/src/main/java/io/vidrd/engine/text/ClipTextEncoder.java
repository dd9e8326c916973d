package io.vidrd.engine.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import io.vidrd.runtime.nn.LayerNorm;
import io.vidrd.runtime.nn.Weights;

/**
 * The transformers {@code CLIPTextModel} as Stable Diffusion uses it: token plus position
 * embeddings, pre-LN layers with a causal mask (fp32 minimum above the diagonal) and no padding
 * mask, then {@code final_layer_norm}; the output is {@code last_hidden_state}.
 *
 * <p>Bind it to the view that holds {@code embeddings.*}, {@code encoder.*} and
 * {@code final_layer_norm.*} (in transformers 4.x files that is {@code text_model.}; see
 * {@link #weightsRoot(Weights)}). The buffer {@code embeddings.position_ids} is not a weight.
 */
public final class ClipTextEncoder {

    /** Constant buffer of transformers ≤ 4.30 files; positions are always 0..L−1. */
    public static final String POSITION_IDS = "embeddings.position_ids";

    private final ClipTextConfig config;
    private final NDArray tokenEmbedding;
    private final NDArray positionEmbedding;
    private final ClipEncoderLayer[] layers;
    private final LayerNorm finalLayerNorm;

    /**
     * @param w view at the text model (see {@link #weightsRoot(Weights)})
     * @param config configuration
     */
    public ClipTextEncoder(Weights w, ClipTextConfig config) {
        this.config = config;
        int d = config.hiddenSize();
        tokenEmbedding = w.take("embeddings.token_embedding.weight", config.vocabSize(), d);
        positionEmbedding = w.take("embeddings.position_embedding.weight", config.maxPositions(), d);
        layers = new ClipEncoderLayer[config.layers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new ClipEncoderLayer(w.at("encoder.layers." + i), config);
        }
        finalLayerNorm = new LayerNorm(w.at("final_layer_norm"), d, config.layerNormEps());
    }

    /**
     * transformers 4.x writes {@code CLIPTextModel} keys under {@code text_model.}; other writers
     * (the golden set, written by transformers 5) drop that prefix. The file decides.
     *
     * @param source view of the state dict's text-encoder keys
     * @return the view at which {@code final_layer_norm.weight} is found
     */
    public static Weights weightsRoot(Weights source) {
        return source.has("text_model.final_layer_norm.weight") ? source.at("text_model") : source;
    }

    /**
     * @param inputIds {@code [b, L]} token ids (int64 or int32), L ≤ max positions
     * @return {@code [b, L, D]} last hidden state after the final LayerNorm
     */
    public NDArray forward(NDArray inputIds) {
        Shape s = inputIds.getShape();
        if (s.dimension() != 2 || s.get(1) > config.maxPositions()) {
            throw new IllegalArgumentException("input ids must be [b, L] with L <= " + config.maxPositions() + ", got " + s);
        }
        int len = (int) s.get(1);
        NDManager m = inputIds.getManager();
        NDArray ids = inputIds.toType(DataType.INT64, false);
        NDArray x = ids.getNDArrayInternal().embedding(ids, tokenEmbedding, SparseFormat.DENSE).singletonOrThrow();
        NDArray positions = m.arange(0, len, 1, DataType.INT64, inputIds.getDevice());
        x = x.add(positions.getNDArrayInternal().embedding(positions, positionEmbedding, SparseFormat.DENSE).singletonOrThrow());
        NDArray mask = causalMask(m, len, x.getDataType());
        for (ClipEncoderLayer layer : layers) {
            x = layer.forward(x, mask);
        }
        return finalLayerNorm.forward(x);
    }

    private static NDArray causalMask(NDManager m, int len, DataType type) {
        float[] v = new float[len * len];
        float min = -Float.MAX_VALUE;
        for (int i = 0; i < len; i++) {
            for (int j = i + 1; j < len; j++) {
                v[i * len + j] = min;
            }
        }
        NDArray mask = m.create(v, new Shape(len, len));
        // in reduced precision transformers uses that type's minimum; fp32's would overflow to -inf
        if (type == DataType.FLOAT32) {
            return mask;
        }
        return mask.maximum(type == DataType.FLOAT16 ? -65504f : -3.3895314e38f).toType(type, false);
    }

    /** @return the configuration */
    public ClipTextConfig config() {
        return config;
    }
}
