package io.vidrd.api;

import java.util.Map;
import java.util.Objects;

/**
 * Describes the engine behind a {@link VideoGenerator}, for display and for video metadata.
 *
 * @param name engine name, e.g. {@code "vidrd-djl"}
 * @param version engine version, e.g. {@code "1.0.0"}
 * @param modelId model identifier, e.g. {@code "VidRD-ModelT2V"}
 * @param device where it runs, e.g. {@code "gpu:0"} or {@code "cpu"}
 * @param dtype compute precision, e.g. {@code "float32"} or {@code "float16"}
 * @param properties further facts (VAE kind, checkpoint hashes, ...); unmodifiable, sorted
 */
public record EngineInfo(String name, String version, String modelId, String device, String dtype,
        Map<String, String> properties) {

    /**
     * Property naming the frame size ({@code WxH}) the engine gives requests that set none, when its
     * model was trained at another size than the API's default (e.g. {@code 32x32} for the embedded
     * demo model); absent otherwise. Forms should start from it.
     */
    public static final String PROP_DEFAULT_SIZE = "default.size";

    /**
     * Rejects {@code null} and copies the properties.
     *
     * @param name engine name
     * @param version engine version
     * @param modelId model identifier
     * @param device device
     * @param dtype compute precision
     * @param properties further facts, copied
     */
    public EngineInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(dtype, "dtype");
        properties = Video.copyMetadata(properties);
    }

    /**
     * The request as this engine will run it with regard to size: a request that sets no size gets
     * the engine's default size ({@link #PROP_DEFAULT_SIZE}), so that callers can open writers and
     * record metadata for the frames that will come. A request that sets a size, or an engine
     * without (or with a malformed) default size, leaves the request unchanged.
     *
     * @param request a request
     * @return the request, or a copy with the engine's default size
     */
    public GenerationRequest withDefaultSize(GenerationRequest request) {
        String size = properties.get(PROP_DEFAULT_SIZE);
        if (size == null || request.isSet(GenerationRequest.KEY_WIDTH) || request.isSet(GenerationRequest.KEY_HEIGHT)) {
            return request;
        }
        String[] wh = size.split("x", -1);
        if (wh.length != 2) {
            return request;
        }
        try {
            return request.toBuilder().size(Integer.parseInt(wh[0].trim()), Integer.parseInt(wh[1].trim())).build();
        } catch (RuntimeException e) {
            return request;   // NumberFormatException, a missing part or an invalid size: keep the API's size
        }
    }
}
