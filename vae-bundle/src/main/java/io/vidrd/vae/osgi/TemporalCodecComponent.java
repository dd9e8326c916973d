package io.vidrd.vae.osgi;

import io.vidrd.runtime.codec.LatentCodec;
import io.vidrd.vae.codec.CodecKind;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@code temporal} codec: VidRD's fine-tuned VAE ({@code <model.dir>/vae_finetuned}) with its temporal layers active across the frames of each clip, as the paper describes it (not what the official pipeline runs).
 *
 * <p>Configuration: PID {@value #PID}, required (see {@link CodecConfig}). Weights load once at
 * activation, strictly; a broken VAE fails activation with one logged error and nothing is registered.
 */
@Component(name = TemporalCodecComponent.PID, service = LatentCodec.class, immediate = true,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        configurationPid = TemporalCodecComponent.PID,
        property = {LatentCodec.PROP_KIND + "=" + LatentCodec.KIND_TEMPORAL})
@Designate(ocd = CodecConfig.class)
public final class TemporalCodecComponent extends CodecComponent {

    /** The component name and its own configuration PID. */
    public static final String PID = "io.vidrd.vae.temporal";

    /**
     * @param config the merged configuration
     * @param context this bundle's context (for the version recorded in job metadata)
     */
    @Activate
    public TemporalCodecComponent(CodecConfig config, BundleContext context) {
        super(CodecKind.TEMPORAL, config, context.getBundle().getVersion().toString());
    }

    @Deactivate
    void deactivate() {
        close();
    }
}
