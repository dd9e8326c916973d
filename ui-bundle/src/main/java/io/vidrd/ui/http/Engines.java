package io.vidrd.ui.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.lang.reflect.Array;
import java.util.Arrays;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The services the engines panel lists, by their registration properties only: video
 * generators, latent codecs (VAEs) and video encoders. Codecs are named by their interface's
 * name, so the UI needs none of the runtime's classes.
 */
final class Engines {

    static final String GENERATOR = "io.vidrd.api.VideoGenerator";
    static final String CODEC = "io.vidrd.runtime.codec.LatentCodec";
    static final String ENCODER = "io.vidrd.api.VideoEncoder";

    private final BundleContext context;

    Engines(BundleContext context) {
        this.context = context;
    }

    JsonObject list() {
        JsonObject o = new JsonObject();
        o.add("generators", services(GENERATOR));
        o.add("codecs", services(CODEC));
        o.add("encoders", services(ENCODER));
        return o;
    }

    private JsonArray services(String objectClass) {
        JsonArray a = new JsonArray();
        ServiceReference<?>[] refs;
        try {
            // all references, not only class-compatible ones: the UI does not import the codec's package
            refs = context.getAllServiceReferences(null, "(" + Constants.OBJECTCLASS + "=" + objectClass + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (refs == null) {
            return a;
        }
        // highest ranking first, as a greedy consumer would pick them
        Arrays.sort(refs, (x, y) -> y.compareTo(x));
        boolean first = true;
        for (ServiceReference<?> r : refs) {
            JsonObject s = new JsonObject();
            for (String key : r.getPropertyKeys()) {
                if (!key.equals(Constants.OBJECTCLASS) && !key.startsWith("component.") && !key.equals("service.bundleid")
                        && !key.equals("service.scope")) {
                    s.addProperty(key, text(r.getProperty(key)));
                }
            }
            Bundle b = r.getBundle();
            if (b != null) {
                s.addProperty("bundle", b.getSymbolicName());
                s.addProperty("bundle.version", b.getVersion().toString());
            }
            s.addProperty("preferred", first);
            first = false;
            a.add(s);
        }
        return a;
    }

    private static String text(Object v) {
        if (v != null && v.getClass().isArray()) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < Array.getLength(v); i++) {
                b.append(i == 0 ? "" : ", ").append(Array.get(v, i));
            }
            return b.toString();
        }
        return String.valueOf(v);
    }
}
