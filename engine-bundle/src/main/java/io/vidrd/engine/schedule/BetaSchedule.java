package io.vidrd.engine.schedule;

/** The β schedules supported, by their diffusers names. */
public enum BetaSchedule {
    /** {@code linspace(beta_start, beta_end, N)}. */
    LINEAR("linear"),
    /** {@code linspace(√beta_start, √beta_end, N)²}, Stable Diffusion's schedule. */
    SCALED_LINEAR("scaled_linear");

    private final String configName;

    BetaSchedule(String configName) {
        this.configName = configName;
    }

    /** @return the value of {@code beta_schedule} in a scheduler config */
    public String configName() {
        return configName;
    }

    /**
     * @param name a {@code beta_schedule} value
     * @return the schedule
     * @throws IllegalArgumentException for any other value (e.g. {@code squaredcos_cap_v2})
     */
    public static BetaSchedule fromConfigName(String name) {
        for (BetaSchedule s : values()) {
            if (s.configName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unsupported beta_schedule '" + name
                + "' (supported: linear, scaled_linear)");
    }
}
