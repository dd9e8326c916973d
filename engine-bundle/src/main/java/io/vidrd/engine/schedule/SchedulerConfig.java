package io.vidrd.engine.schedule;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.vidrd.engine.json.JsonFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The DDIM-relevant part of a diffusers {@code scheduler/scheduler_config.json}, read as
 * diffusers 0.14's {@code DDIMScheduler} reads it (SD 2.1-base ships a PNDM config; the keys DDIM
 * does not know, such as {@code skip_prk_steps}, are ignored). Missing keys take DDIMScheduler's
 * defaults: 1000 steps, β 0.0001 → 0.02 linear, {@code clip_sample} true (which is then
 * rejected), {@code set_alpha_to_one} true, {@code steps_offset} 0, epsilon prediction.
 *
 * <p>Only what this engine implements is accepted: epsilon prediction, linear or scaled-linear
 * β, no sample clipping, no thresholding, no trained β list, "leading" timestep spacing.
 *
 * @param numTrainTimesteps N, the length of the training schedule (≥ 2)
 * @param betaStart β at t = 0, as the double in the file
 * @param betaEnd β at t = N − 1, as the double in the file
 * @param betaSchedule how β runs between them
 * @param stepsOffset added to every inference timestep (1 for SD)
 * @param setAlphaToOne whether the step past t = 0 uses ᾱ = 1 rather than ᾱ₀
 */
public record SchedulerConfig(int numTrainTimesteps, double betaStart, double betaEnd,
        BetaSchedule betaSchedule, int stepsOffset, boolean setAlphaToOne) {

    /** The file name inside a diffusers {@code scheduler/} folder. */
    public static final String FILE_NAME = "scheduler_config.json";

    private static final Set<String> FALSE_ONLY = Set.of("clip_sample", "thresholding",
            "rescale_betas_zero_snr");

    /** Checks the ranges the schedule arithmetic needs. */
    public SchedulerConfig {
        if (numTrainTimesteps < 2) {
            throw new IllegalArgumentException("num_train_timesteps must be at least 2, found "
                    + numTrainTimesteps);
        }
        if (!(betaStart >= 0 && betaEnd > 0 && betaEnd < 1 && betaStart < 1)) {
            throw new IllegalArgumentException("beta_start and beta_end must lie in [0, 1), found "
                    + betaStart + " and " + betaEnd);
        }
        if (stepsOffset < 0 || stepsOffset >= numTrainTimesteps) {
            throw new IllegalArgumentException("steps_offset must lie in [0, num_train_timesteps),"
                    + " found " + stepsOffset);
        }
        if (betaSchedule == null) {
            throw new IllegalArgumentException("beta_schedule is required");
        }
    }

    /**
     * @param file a {@code scheduler_config.json}, or the {@code scheduler/} folder holding it
     * @return the config
     * @throws IOException when the file is missing, is not JSON, or asks for something
     *     unsupported (the message names the file and the key)
     */
    public static SchedulerConfig load(Path file) throws IOException {
        Path json = Files.isDirectory(file) ? file.resolve(FILE_NAME) : file;
        if (!Files.isRegularFile(json)) {
            throw new IOException("scheduler config missing: " + json);
        }
        try {
            return parse(Files.readString(json, StandardCharsets.UTF_8), json.toString());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * @param json the text of a scheduler config
     * @param source name used in error messages
     * @return the config
     * @throws IllegalArgumentException naming the source and key for bad or unsupported values
     */
    public static SchedulerConfig parse(String json, String source) {
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(source + ": invalid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof JsonObject map)) {
            throw new IllegalArgumentException(source + ": expected a JSON object");
        }
        try {
            String prediction = string(map, "prediction_type", "epsilon");
            if (!prediction.equals("epsilon")) {
                throw new IllegalArgumentException("prediction_type '" + prediction
                        + "' is not supported (only epsilon; v_prediction is the 768-px SD 2.1)");
            }
            for (String key : FALSE_ONLY) {
                if (bool(map, key, key.equals("clip_sample"))) {
                    throw new IllegalArgumentException(key + " = true is not supported");
                }
            }
            if (value(map, "trained_betas") != null) {
                throw new IllegalArgumentException("trained_betas is not supported");
            }
            String spacing = string(map, "timestep_spacing", "leading");
            if (!spacing.equals("leading")) {
                throw new IllegalArgumentException("timestep_spacing '" + spacing
                        + "' is not supported (only leading, as in diffusers 0.14)");
            }
            return new SchedulerConfig(
                    integer(map, "num_train_timesteps", 1000),
                    number(map, "beta_start", 0.0001),
                    number(map, "beta_end", 0.02),
                    BetaSchedule.fromConfigName(string(map, "beta_schedule", "linear")),
                    integer(map, "steps_offset", 0),
                    bool(map, "set_alpha_to_one", true));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /** @return the member, or null when it is absent or JSON {@code null} */
    private static JsonElement value(JsonObject map, String key) {
        return JsonFiles.present(map.get(key));
    }

    private static String string(JsonObject map, String key, String fallback) {
        JsonElement v = value(map, key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof JsonPrimitive p && p.isString())) {
            throw new IllegalArgumentException(key + " must be a string, found " + JsonFiles.display(v));
        }
        return p.getAsString();
    }

    private static boolean bool(JsonObject map, String key, boolean fallback) {
        JsonElement v = value(map, key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof JsonPrimitive p && p.isBoolean())) {
            throw new IllegalArgumentException(key + " must be true or false, found " + JsonFiles.display(v));
        }
        return p.getAsBoolean();
    }

    private static int integer(JsonObject map, String key, int fallback) {
        JsonElement v = value(map, key);
        if (v == null) {
            return fallback;
        }
        Long l = JsonFiles.integral(v);
        if (l == null || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must be an integer, found " + JsonFiles.display(v));
        }
        return l.intValue();
    }

    private static double number(JsonObject map, String key, double fallback) {
        JsonElement v = value(map, key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof JsonPrimitive p && p.isNumber())) {
            throw new IllegalArgumentException(key + " must be a number, found " + JsonFiles.display(v));
        }
        // Gson keeps the literal; Double.parseDouble rounds exactly like Python's float()
        return Double.parseDouble(p.getAsString());
    }
}
