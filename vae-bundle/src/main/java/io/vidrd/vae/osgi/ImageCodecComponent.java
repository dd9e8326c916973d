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
 * The {@code image} codec: the plain Stable Diffusion 2.1 VAE ({@code <model.dir>/stable-diffusion-2-1-base/vae}), frame by frame.
 *
 * <p>Configuration: PID {@value #PID}, required (see {@link CodecConfig}). Weights load once at
 * activation, strictly; a broken VAE fails activation with one logged error and nothing is registered.
 */
@Component(name = ImageCodecComponent.PID, service = LatentCodec.class, immediate = true,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        configurationPid = ImageCodecComponent.PID,
        property = {LatentCodec.PROP_KIND + "=" + LatentCodec.KIND_IMAGE})
@Designate(ocd = CodecConfig.class)
public final class ImageCodecComponent extends CodecComponent {

    /** The component name and its own configuration PID. */
    public static final String PID = "io.vidrd.vae.image";

    /**
     * @param config the merged configuration
     * @param context this bundle's context (for the version recorded in job metadata)
     */
    @Activate
    public ImageCodecComponent(CodecConfig config, BundleContext context) {
        super(CodecKind.IMAGE, config, context.getBundle().getVersion().toString());
    }

    @Deactivate
    void deactivate() {
        close();
    }
}
