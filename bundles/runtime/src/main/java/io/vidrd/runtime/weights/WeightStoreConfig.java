package io.vidrd.runtime.weights;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the weight store (PID {@code io.vidrd.runtime.weights}; optional). */
@ObjectClassDefinition(name = "VidRD weight store",
        description = "Shares checkpoint tensors read from disk between engine versions.")
public @interface WeightStoreConfig {

    /** @return seconds an unused file's tensors stay stored */
    @AttributeDefinition(name = "Release delay (s)", min = "0",
            description = "How long tensors no engine uses stay in memory, so a Bundle.update (old engine stopped"
                    + " before the new one loads) does not read them again. 0 releases at once.")
    int release_delay_seconds() default 30;
}
