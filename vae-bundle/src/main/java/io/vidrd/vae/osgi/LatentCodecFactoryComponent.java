package io.vidrd.vae.osgi;

import io.vidrd.runtime.ComputeTarget;
import io.vidrd.runtime.codec.LatentCodec;
import io.vidrd.runtime.codec.LatentCodecFactory;
import io.vidrd.runtime.codec.OwnedLatentCodec;
import io.vidrd.vae.codec.CodecKind;
import io.vidrd.vae.codec.VaeLatentCodec;
import io.vidrd.vae.model.VaeFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Registers the {@link LatentCodecFactory}: codecs for a model directory named at call time, owned
 * by the caller. Needs no configuration, unlike the codec services, because it loads nothing
 * until asked.
 */
@Component(service = LatentCodecFactory.class)
public final class LatentCodecFactoryComponent implements LatentCodecFactory {

    private final String version;

    /** @param context this bundle's context (for the version recorded in codec metadata) */
    @Activate
    public LatentCodecFactoryComponent(BundleContext context) {
        this.version = context.getBundle().getVersion().toString();
    }

    @Override
    public OwnedLatentCodec open(String kind, Path modelDir, String device, String dtype) throws IOException {
        CodecKind k = Arrays.stream(CodecKind.values()).filter(c -> c.id().equals(kind)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown codec kind '" + kind + "' (known: "
                        + LatentCodec.KIND_IMAGE + ", " + LatentCodec.KIND_VIDRD + ", " + LatentCodec.KIND_TEMPORAL
                        + ")"));
        ComputeTarget target = ComputeTarget.parse(device, dtype);
        // 0: a call decodes all its frames at once; the caller bounds memory through DecodeOptions
        return VaeLatentCodec.open(k, VaeFiles.in(k.vaeFolder(modelDir)), target, 0, version);
    }
}
