package io.vidrd.vae.osgi;

import io.vidrd.runtime.codec.LatentCodec;
import io.vidrd.vae.codec.CodecKind;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@code vidrd} codec, the default (highest ranking): VidRD's fine-tuned VAE ({@code <model.dir>/vae_finetuned}) exactly as the official pipeline runs it, frame by frame, so its temporal layers are identities (VIDRD.md §4.3).
 *
 * <p>Configuration: PID {@value #PID}, required (see {@link CodecConfig}). Weights load once at
 * activation, strictly; a broken VAE fails activation with one logged error and nothing is registered.
 */
@Component(name = VidrdCodecComponent.PID, service = LatentCodec.class, immediate = true,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        configurationPid = VidrdCodecComponent.PID,
        property = {LatentCodec.PROP_KIND + "=" + LatentCodec.KIND_VIDRD,
                Constants.SERVICE_RANKING + ":Integer=10"})
@Designate(ocd = CodecConfig.class)
public final class VidrdCodecComponent extends CodecComponent {

    /** The component name and its own configuration PID. */
    public static final String PID = "io.vidrd.vae.vidrd";

    /**
     * @param config the merged configuration
     * @param context this bundle's context (for the version recorded in job metadata)
     */
    @Activate
    public VidrdCodecComponent(CodecConfig config, BundleContext context) {
        super(CodecKind.VIDRD, config, context.getBundle().getVersion().toString());
    }

    @Deactivate
    void deactivate() {
        close();
    }
}
