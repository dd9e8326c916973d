package io.vidrd.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.configuration2.CompositeConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.MapConfiguration;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.io.FileHandler;

/**
 * Resolved settings: defaults &lt; {@code vidrd.properties} &lt; environment ({@code VIDRD_*})
 * &lt; command line, merged with Apache Commons Configuration. Every value is checked; unknown
 * {@code vidrd.*} keys are refused so a typo does not silently fall back to a default.
 */
final class Settings {

    private final Map<Setting, String> values;

    private Settings(Map<Setting, String> values) {
        this.values = values;
    }

    /**
     * @param commandLineOptions options given on the command line (name without dashes to value)
     * @param environment the process environment
     * @param propertiesFile the {@code vidrd.properties} to read, if any
     * @return the merged, checked settings
     * @throws UsageException for an unreadable file, an unknown key or a bad value
     */
    static Settings resolve(Map<String, String> commandLineOptions, Map<String, String> environment,
            Optional<Path> propertiesFile) throws UsageException {
        return resolve(commandLineOptions, environment, propertiesFile, Optional.empty());
    }

    /**
     * @param commandLineOptions options given on the command line (name without dashes to value)
     * @param environment the process environment
     * @param propertiesFile the {@code vidrd.properties} to read, if any
     * @param builtInModel the model used when none is configured (the distribution's demo model)
     * @return the merged, checked settings
     * @throws UsageException for an unreadable file, an unknown key or a bad value
     */
    static Settings resolve(Map<String, String> commandLineOptions, Map<String, String> environment,
            Optional<Path> propertiesFile, Optional<Path> builtInModel) throws UsageException {
        Map<String, Object> cli = new LinkedHashMap<>();
        Map<String, Object> env = new LinkedHashMap<>();
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (Setting s : Setting.values()) {
            String fromCli = commandLineOptions.get(s.option());
            if (fromCli != null) {
                s.check(fromCli, "option --" + s.option());
                cli.put(s.key(), fromCli);
            }
            String fromEnv = environment.get(s.environmentVariable());
            if (fromEnv != null) {
                s.check(fromEnv, "environment variable " + s.environmentVariable());
                env.put(s.key(), fromEnv);
            }
            s.defaultValue().ifPresent(d -> defaults.put(s.key(), d));
        }
        builtInModel.ifPresent(m -> defaults.put(Setting.MODEL_DIR.key(), m.toString()));
        CompositeConfiguration merged = new CompositeConfiguration();
        merged.addConfiguration(new MapConfiguration(cli));
        merged.addConfiguration(new MapConfiguration(env));
        if (propertiesFile.isPresent()) {
            merged.addConfiguration(readProperties(propertiesFile.get()));
        }
        merged.addConfiguration(new MapConfiguration(defaults));

        Map<Setting, String> values = new LinkedHashMap<>();
        for (Setting s : Setting.values()) {
            String v = merged.getString(s.key(), null);
            if (v != null) {
                values.put(s, v.trim());
            }
        }
        checkPrecision(values, environment);
        return new Settings(values);
    }

    /**
     * Refuses now what engine and codec would refuse at activation (the runtime's device and dtype
     * policy): the launcher cannot tell an engine that failed from one still loading, and would
     * wait minutes for it. Reduced precision needs a CUDA device; bf16 also needs a PyTorch JNI
     * declared to map it (stock DJL 0.35.1 aborts the JVM on the first bf16 tensor), with the
     * same switches the runtime reads.
     */
    private static void checkPrecision(Map<Setting, String> values, Map<String, String> environment)
            throws UsageException {
        String dtype = values.getOrDefault(Setting.DTYPE, "fp32");
        if (!dtype.matches("fp32|float32") && "cpu".equals(values.get(Setting.DEVICE))) {
            throw new UsageException("dtype '" + dtype + "' needs a CUDA device (--device gpu:0); the CPU runs fp32 only");
        }
        String declared = System.getProperty("vidrd.torch.bf16", environment.get("VIDRD_TORCH_BF16"));
        if (dtype.matches("bf16|bfloat16") && !Boolean.parseBoolean(declared)) {
            throw new UsageException("dtype 'bf16' needs a PyTorch JNI that maps bfloat16 (stock DJL 0.35.1 aborts the"
                    + " JVM on any bf16 tensor): declare one with -Dvidrd.torch.bf16=true or VIDRD_TORCH_BF16=true,"
                    + " or use fp16");
        }
    }

    private static Configuration readProperties(Path file) throws UsageException {
        if (!Files.isReadable(file)) {
            throw new UsageException("settings file " + file + " does not exist or is not readable");
        }
        // A plain FileHandler: the fluent builders need commons-beanutils, which we do not ship.
        PropertiesConfiguration props = new PropertiesConfiguration();
        try {
            new FileHandler(props).load(file.toFile());
        } catch (ConfigurationException e) {
            throw new UsageException("settings file " + file + " cannot be read: " + e.getMessage());
        }
        for (Iterator<String> keys = props.getKeys(); keys.hasNext();) {
            String key = keys.next();
            Optional<Setting> s = Setting.byKey(key);
            if (s.isEmpty()) {
                throw new UsageException("unknown setting '" + key + "' in " + file + "; known: " + knownKeys());
            }
            s.get().check(props.getString(key), file.toString());
        }
        return props;
    }

    private static String knownKeys() {
        StringBuilder b = new StringBuilder();
        for (Setting s : Setting.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(s.key());
        }
        return b.toString();
    }

    Optional<String> get(Setting s) {
        return Optional.ofNullable(values.get(s));
    }

    /**
     * @return configuration properties per Config Admin PID. The selected latent codec
     *     ({@code io.vidrd.vae.<kind>}) gets the model directory, device and dtype too: each
     *     codec kind is its own component and loads only when configured.
     */
    Map<String, Map<String, String>> byPid() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        boolean model = values.containsKey(Setting.MODEL_DIR);
        values.forEach((s, v) -> {
            // Without a model the engine has nothing to load: configuring it would only log an error.
            if (model || !s.pid().equals("io.vidrd.engine")) {
                out.computeIfAbsent(s.pid(), p -> new LinkedHashMap<>()).put(s.property(), s.configValue(v));
            }
        });
        String kind = values.get(Setting.VAE_KIND);
        if (kind != null && values.containsKey(Setting.MODEL_DIR)) {
            Map<String, String> codec = out.computeIfAbsent("io.vidrd.vae." + kind, p -> new LinkedHashMap<>());
            for (Setting s : new Setting[] {Setting.MODEL_DIR, Setting.DEVICE, Setting.DTYPE}) {
                if (values.containsKey(s)) {
                    codec.put(s.property(), values.get(s));
                }
            }
        }
        return out;
    }
}
