package io.vidrd.launcher;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The settings the launcher knows, with their command-line option, default and allowed values.
 * Each is handed to the bundles through Config Admin under {@link #pid()} as {@link #property()}.
 */
enum Setting {
    MODEL_DIR("vidrd.model.dir", "model", null, "a directory in the official VidRD layout",
            v -> !v.isBlank()),
    DEVICE("vidrd.device", "device", "cpu", "cpu, gpu or gpu:N",
            v -> v.matches("cpu|gpu|cuda|(gpu|cuda):\\d{1,3}")),
    DTYPE("vidrd.dtype", "dtype", "fp32", "fp32, fp16 or bf16 (fp16/bf16 on a GPU only)",
            v -> v.matches("fp32|fp16|bf16|float32|float16|bfloat16")),
    VAE_KIND("vidrd.vae.kind", "vae", "vidrd", "vidrd, image or temporal",
            v -> v.matches("vidrd|image|temporal")),
    UI_HOST("vidrd.ui.host", "host", "127.0.0.1", "an interface address to bind, e.g. 127.0.0.1",
            v -> v.matches("[A-Za-z0-9.:\\-\\[\\]]+")),
    UI_PORT("vidrd.ui.port", "port", "8080", "a TCP port 1..65535",
            v -> v.matches("\\d{1,5}") && Integer.parseInt(v) >= 1 && Integer.parseInt(v) <= 65535);

    private final String key;
    private final String option;
    private final String defaultValue;
    private final String allowed;
    private final Predicate<String> valid;

    Setting(String key, String option, String defaultValue, String allowed, Predicate<String> valid) {
        this.key = key;
        this.option = option;
        this.defaultValue = defaultValue;
        this.allowed = allowed;
        this.valid = valid;
    }

    /** @return the key in vidrd.properties ({@code vidrd.model.dir}) */
    String key() {
        return key;
    }

    /** @return the environment variable ({@code VIDRD_MODEL_DIR}) */
    String environmentVariable() {
        return key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** @return the command-line option without dashes ({@code model}) */
    String option() {
        return option;
    }

    Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** @return the Config Admin PID of the component that reads this setting */
    String pid() {
        if (key.startsWith("vidrd.ui.")) {
            return "io.vidrd.ui";
        }
        return "io.vidrd.engine";
    }

    /** @return the configuration property name under {@link #pid()} ({@code model.dir}) */
    String property() {
        if (this == VAE_KIND) {
            // the engine picks its codec by a Declarative Services target filter
            return "codec.target";
        }
        String p = key.substring("vidrd.".length());
        return p.startsWith("ui.") ? p.substring(3) : p;
    }

    /**
     * @param value the setting's value
     * @return the value as the component's configuration property holds it
     */
    String configValue(String value) {
        return this == VAE_KIND ? "(vidrd.vae.kind=" + value + ")" : value;
    }

    /**
     * @param value a value from any source
     * @param source where it came from, for the message
     * @throws UsageException naming the setting, the value, the source and what is allowed
     */
    void check(String value, String source) throws UsageException {
        if (value == null || !valid.test(value.trim())) {
            throw new UsageException("bad value '" + value + "' for " + key + " (from " + source + "); allowed: " + allowed);
        }
    }

    static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }
}
