package io.vidrd.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * What to generate. Immutable; made by {@link Builder#build()}, which validates every field.
 *
 * <p>Defaults follow the official VidRD example configuration: 256×256, N = 8 frames per
 * clip, K = 1 clip, 50 DDIM steps, guidance 10, seed 42, negative prompt "watermark",
 * M = 4 prompt frames, α = 4 noise reuse, β = 0.4 staged guidance. The video has
 * K·N frames: VidRD keeps the prompt frames of every clip.
 *
 * <p>{@link #toParameters()} and {@link #fromParameters(Map)} convert to and from plain
 * strings (for configuration, HTTP forms and video metadata); their keys are the
 * {@code KEY_*} constants, which are also the field names in {@link FieldError}s.
 */
public final class GenerationRequest {
    /** Longest prompt, clip prompt or negative prompt accepted, in characters. */
    public static final int MAX_PROMPT_LENGTH = 2000;
    /** Smallest width or height in pixels. */
    public static final int MIN_SIZE = 32;
    /** Largest width or height in pixels. */
    public static final int MAX_SIZE = 2048;
    /** Width and height must be multiples of this (the VAE's downsampling factor). */
    public static final int SIZE_MULTIPLE = 8;
    /** Most frames per clip. */
    public static final int MAX_FRAMES_PER_CLIP = 256;
    /** Most clips per video. */
    public static final int MAX_CLIPS = 10_000;
    /** Most denoising steps. */
    public static final int MAX_STEPS = 1000;
    /** Highest frame rate. */
    public static final double MAX_FPS = 240;

    /** Default negative prompt, as in the official evaluator. */
    public static final String DEFAULT_NEGATIVE_PROMPT = "watermark";
    /** Default width and height. */
    public static final int DEFAULT_SIZE = 256;
    /** Default frames per clip, N. */
    public static final int DEFAULT_FRAMES_PER_CLIP = 8;
    /** Default number of clips, K. */
    public static final int DEFAULT_CLIPS = 1;
    /** Default denoising steps. */
    public static final int DEFAULT_STEPS = 50;
    /** Default classifier-free guidance scale. */
    public static final double DEFAULT_GUIDANCE_SCALE = 10.0;
    /** Default seed. */
    public static final long DEFAULT_SEED = 42;
    /** Default prompt frames, M. */
    public static final int DEFAULT_PROMPT_FRAMES = 4;
    /** Default noise reuse, α. */
    public static final double DEFAULT_NOISE_REUSE = 4.0;
    /** Default staged guidance, β. */
    public static final double DEFAULT_STAGED_GUIDANCE = 0.4;
    /** Default frame rate. */
    public static final double DEFAULT_FPS = 8.0;

    /** Parameter key of {@link #prompt()}. */
    public static final String KEY_PROMPT = "prompt";
    /** Parameter key of {@link #clipPrompts()}; the value is a JSON array of strings, {@code []} when empty. */
    public static final String KEY_CLIP_PROMPTS = "clip_prompts";
    /** Parameter key of {@link #negativePrompt()}. */
    public static final String KEY_NEGATIVE_PROMPT = "negative_prompt";
    /** Parameter key of {@link #width()}. */
    public static final String KEY_WIDTH = "width";
    /** Parameter key of {@link #height()}. */
    public static final String KEY_HEIGHT = "height";
    /** Parameter key of {@link #framesPerClip()}. */
    public static final String KEY_FRAMES_PER_CLIP = "frames_per_clip";
    /** Parameter key of {@link #clips()}. */
    public static final String KEY_CLIPS = "clips";
    /** Parameter key of {@link #steps()}. */
    public static final String KEY_STEPS = "steps";
    /** Parameter key of {@link #guidanceScale()}. */
    public static final String KEY_GUIDANCE_SCALE = "guidance_scale";
    /** Parameter key of {@link #seed()}. */
    public static final String KEY_SEED = "seed";
    /** Parameter key of {@link #promptFrames()}. */
    public static final String KEY_PROMPT_FRAMES = "prompt_frames";
    /** Parameter key of {@link #noiseReuse()}. */
    public static final String KEY_NOISE_REUSE = "noise_reuse";
    /** Parameter key of {@link #stagedGuidance()}. */
    public static final String KEY_STAGED_GUIDANCE = "staged_guidance";
    /** Parameter key of {@link #fps()}. */
    public static final String KEY_FPS = "fps";

    private final String prompt;
    private final List<String> clipPrompts;
    private final String negativePrompt;
    private final int width;
    private final int height;
    private final int framesPerClip;
    private final int clips;
    private final int steps;
    private final double guidanceScale;
    private final long seed;
    private final int promptFrames;
    private final double noiseReuse;
    private final double stagedGuidance;
    private final double fps;
    private final Set<String> setFields;

    private GenerationRequest(Builder b) {
        prompt = b.prompt;
        clipPrompts = List.copyOf(b.clipPrompts);
        negativePrompt = b.negativePrompt;
        width = b.width;
        height = b.height;
        framesPerClip = b.framesPerClip;
        clips = b.clips;
        steps = b.steps;
        guidanceScale = b.guidanceScale;
        seed = b.seed;
        promptFrames = b.promptFrames;
        noiseReuse = b.noiseReuse;
        stagedGuidance = b.stagedGuidance;
        fps = b.fps;
        setFields = Collections.unmodifiableSet(new TreeSet<>(b.setFields));
    }

    /**
     * Starts a request with the default settings.
     *
     * @param prompt the text describing the video; checked by {@link Builder#build()}
     * @return a builder
     */
    public static Builder builder(String prompt) {
        return new Builder(prompt);
    }

    /**
     * A builder holding this request's values, to derive a variant.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(prompt).clipPrompts(clipPrompts).negativePrompt(negativePrompt)
                .size(width, height).framesPerClip(framesPerClip).clips(clips).steps(steps)
                .guidanceScale(guidanceScale).seed(seed).promptFrames(promptFrames)
                .noiseReuse(noiseReuse).stagedGuidance(stagedGuidance).fps(fps);
        // the copy keeps which values the caller chose and which are defaults
        b.setFields.clear();
        b.setFields.addAll(setFields);
        return b;
    }

    /**
     * Whether the caller set a field explicitly (through the builder or {@link #fromParameters}),
     * as opposed to leaving its default. An engine may fill fields left at their default from its
     * own configuration; values the caller chose are never replaced.
     *
     * @param key a parameter key ({@link #KEY_STEPS}, {@link #KEY_GUIDANCE_SCALE}, ...)
     * @return whether it was set
     */
    public boolean isSet(String key) {
        return setFields.contains(key);
    }

    /**
     * The prompt, used for every clip unless {@link #clipPrompts()} is set.
     *
     * @return the prompt, not blank
     */
    public String prompt() {
        return prompt;
    }

    /**
     * Prompt schedule: one prompt per clip.
     *
     * @return unmodifiable; empty means {@link #prompt()} for every clip, otherwise exactly
     *     {@link #clips()} prompts
     */
    public List<String> clipPrompts() {
        return clipPrompts;
    }

    /**
     * The prompt of one clip.
     *
     * @param clip 0-based clip index
     * @return {@code clipPrompts().get(clip)} if a schedule is set, else {@link #prompt()}
     * @throws IndexOutOfBoundsException if {@code clip} is not in {@code [0, clips())}
     */
    public String promptForClip(int clip) {
        Objects.checkIndex(clip, clips);
        return clipPrompts.isEmpty() ? prompt : clipPrompts.get(clip);
    }

    /**
     * What the video should not show; the unconditional half of classifier-free guidance.
     *
     * @return the negative prompt, possibly empty
     */
    public String negativePrompt() {
        return negativePrompt;
    }

    /**
     * Frame width.
     *
     * @return pixels, a multiple of 8 in [32, 2048]
     */
    public int width() {
        return width;
    }

    /**
     * Frame height.
     *
     * @return pixels, a multiple of 8 in [32, 2048]
     */
    public int height() {
        return height;
    }

    /**
     * Frames per clip, N.
     *
     * @return in [1, 256]
     */
    public int framesPerClip() {
        return framesPerClip;
    }

    /**
     * Number of clips, K.
     *
     * @return in [1, 10000]
     */
    public int clips() {
        return clips;
    }

    /**
     * Frames of the whole video.
     *
     * @return {@code clips() * framesPerClip()}
     */
    public int totalFrames() {
        return clips * framesPerClip;
    }

    /**
     * DDIM denoising steps per clip.
     *
     * @return in [1, 1000]
     */
    public int steps() {
        return steps;
    }

    /**
     * Classifier-free guidance scale, w.
     *
     * @return a finite number
     */
    public double guidanceScale() {
        return guidanceScale;
    }

    /**
     * Seed of all randomness of the job.
     *
     * @return any value
     */
    public long seed() {
        return seed;
    }

    /**
     * Prompt frames M: frames of the previous clip that start the next one.
     *
     * @return in [0, framesPerClip() - 1]
     */
    public int promptFrames() {
        return promptFrames;
    }

    /**
     * Noise reuse α of the progressive noise schedule for later clips.
     *
     * @return finite, at least 0
     */
    public double noiseReuse() {
        return noiseReuse;
    }

    /**
     * Staged guidance β: how strongly early denoising steps of a clip follow the previous clip.
     *
     * @return in [0, 1]
     */
    public double stagedGuidance() {
        return stagedGuidance;
    }

    /**
     * Frame rate of the video.
     *
     * @return in (0, 240]
     */
    public double fps() {
        return fps;
    }

    /**
     * Every field as text, in a stable key order. Numbers use {@link Integer#toString},
     * {@link Long#toString} and {@link Double#toString}, so doubles round-trip exactly.
     *
     * @return an unmodifiable map keyed by the {@code KEY_*} constants
     */
    public Map<String, String> toParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(KEY_PROMPT, prompt);
        m.put(KEY_CLIP_PROMPTS, StringListCodec.encode(clipPrompts));
        m.put(KEY_NEGATIVE_PROMPT, negativePrompt);
        m.put(KEY_WIDTH, Integer.toString(width));
        m.put(KEY_HEIGHT, Integer.toString(height));
        m.put(KEY_FRAMES_PER_CLIP, Integer.toString(framesPerClip));
        m.put(KEY_CLIPS, Integer.toString(clips));
        m.put(KEY_STEPS, Integer.toString(steps));
        m.put(KEY_GUIDANCE_SCALE, Double.toString(guidanceScale));
        m.put(KEY_SEED, Long.toString(seed));
        m.put(KEY_PROMPT_FRAMES, Integer.toString(promptFrames));
        m.put(KEY_NOISE_REUSE, Double.toString(noiseReuse));
        m.put(KEY_STAGED_GUIDANCE, Double.toString(stagedGuidance));
        m.put(KEY_FPS, Double.toString(fps));
        return Collections.unmodifiableMap(m);
    }

    /**
     * Rebuilds a request from {@link #toParameters()} output. Missing keys take their
     * defaults; unknown keys are ignored, so {@link Video#metadata()} can be passed as is.
     * Blanks around numbers are ignored.
     *
     * @param parameters the parameters; {@link #KEY_PROMPT} is required
     * @return the request
     * @throws InvalidRequestException listing every unparsable or invalid value
     */
    public static GenerationRequest fromParameters(Map<String, String> parameters) {
        Builder b = new Builder(parameters.get(KEY_PROMPT));
        List<FieldError> errors = new ArrayList<>();
        String clipPrompts = parameters.get(KEY_CLIP_PROMPTS);
        if (clipPrompts != null) {
            try {
                b.clipPrompts(StringListCodec.decode(clipPrompts));
            } catch (IllegalArgumentException e) {
                errors.add(Builder.error(KEY_CLIP_PROMPTS, clipPrompts,
                        "must be a JSON array of strings such as [\"a\", \"b\"] (" + e.getMessage() + ")"));
            }
        }
        if (parameters.containsKey(KEY_NEGATIVE_PROMPT)) {
            b.negativePrompt(parameters.get(KEY_NEGATIVE_PROMPT));
        }
        parseInt(parameters, KEY_WIDTH, b::width, errors);
        parseInt(parameters, KEY_HEIGHT, b::height, errors);
        parseInt(parameters, KEY_FRAMES_PER_CLIP, b::framesPerClip, errors);
        parseInt(parameters, KEY_CLIPS, b::clips, errors);
        parseInt(parameters, KEY_STEPS, b::steps, errors);
        parseDouble(parameters, KEY_GUIDANCE_SCALE, b::guidanceScale, errors);
        String seed = parameters.get(KEY_SEED);
        if (seed != null) {
            try {
                b.seed(Long.parseLong(seed.strip()));
            } catch (NumberFormatException e) {
                errors.add(Builder.error(KEY_SEED, seed, "must be a whole number in ["
                        + Long.MIN_VALUE + ", " + Long.MAX_VALUE + "]"));
            }
        }
        parseInt(parameters, KEY_PROMPT_FRAMES, b::promptFrames, errors);
        parseDouble(parameters, KEY_NOISE_REUSE, b::noiseReuse, errors);
        parseDouble(parameters, KEY_STAGED_GUIDANCE, b::stagedGuidance, errors);
        parseDouble(parameters, KEY_FPS, b::fps, errors);
        // Fields that failed to parse kept their defaults, so they are not reported twice.
        errors.addAll(b.validate());
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new GenerationRequest(b);
    }

    private static void parseInt(Map<String, String> p, String key, Consumer<Integer> setter,
            List<FieldError> errors) {
        String v = p.get(key);
        if (v != null) {
            try {
                setter.accept(Integer.parseInt(v.strip()));
            } catch (NumberFormatException e) {
                errors.add(Builder.error(key, v, "must be a whole number"));
            }
        }
    }

    private static void parseDouble(Map<String, String> p, String key, Consumer<Double> setter,
            List<FieldError> errors) {
        String v = p.get(key);
        if (v != null) {
            try {
                setter.accept(Double.parseDouble(v.strip()));
            } catch (NumberFormatException e) {
                errors.add(Builder.error(key, v, "must be a number"));
            }
        }
    }

    /**
     * Requests are equal when every field is equal (doubles compared as by {@link Double#equals}).
     *
     * @param o the other object
     * @return whether both describe the same generation
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof GenerationRequest r && r.prompt.equals(prompt) && r.clipPrompts.equals(clipPrompts)
                && r.negativePrompt.equals(negativePrompt) && r.width == width && r.height == height
                && r.framesPerClip == framesPerClip && r.clips == clips && r.steps == steps
                && Double.compare(r.guidanceScale, guidanceScale) == 0 && r.seed == seed
                && r.promptFrames == promptFrames && Double.compare(r.noiseReuse, noiseReuse) == 0
                && Double.compare(r.stagedGuidance, stagedGuidance) == 0 && Double.compare(r.fps, fps) == 0;
    }

    /**
     * Hash over every field.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(prompt, clipPrompts, negativePrompt, width, height, framesPerClip, clips, steps,
                guidanceScale, seed, promptFrames, noiseReuse, stagedGuidance, fps);
    }

    /**
     * All parameters, for logs.
     *
     * @return {@code GenerationRequest} followed by {@link #toParameters()}
     */
    @Override
    public String toString() {
        return "GenerationRequest" + toParameters();
    }

    /**
     * Collects the fields of a {@link GenerationRequest}. Setters accept anything;
     * {@link #build()} checks everything at once. Not thread-safe.
     */
    public static final class Builder {
        private String prompt;
        private List<String> clipPrompts = List.of();
        private String negativePrompt = DEFAULT_NEGATIVE_PROMPT;
        private int width = DEFAULT_SIZE;
        private int height = DEFAULT_SIZE;
        private int framesPerClip = DEFAULT_FRAMES_PER_CLIP;
        private int clips = DEFAULT_CLIPS;
        private int steps = DEFAULT_STEPS;
        private double guidanceScale = DEFAULT_GUIDANCE_SCALE;
        private long seed = DEFAULT_SEED;
        private int promptFrames = DEFAULT_PROMPT_FRAMES;
        private double noiseReuse = DEFAULT_NOISE_REUSE;
        private double stagedGuidance = DEFAULT_STAGED_GUIDANCE;
        private double fps = DEFAULT_FPS;
        private final Set<String> setFields = new HashSet<>();

        private Builder(String prompt) {
            this.prompt = prompt;
        }

        /**
         * Sets the prompt.
         *
         * @param prompt not blank, at most {@value GenerationRequest#MAX_PROMPT_LENGTH} characters
         * @return this builder
         */
        public Builder prompt(String prompt) {
            this.prompt = prompt;
            return this;
        }

        /**
         * Sets the prompt schedule.
         *
         * @param clipPrompts one prompt per clip, or empty to use the prompt for every clip; copied
         * @return this builder
         */
        public Builder clipPrompts(List<String> clipPrompts) {
            setFields.add(KEY_CLIP_PROMPTS);
            // ArrayList, not List.copyOf: null elements must reach build() to be reported there.
            this.clipPrompts = clipPrompts == null ? null : new ArrayList<>(clipPrompts);
            return this;
        }

        /**
         * Sets the negative prompt.
         *
         * @param negativePrompt not {@code null}, may be empty, at most
         *     {@value GenerationRequest#MAX_PROMPT_LENGTH} characters
         * @return this builder
         */
        public Builder negativePrompt(String negativePrompt) {
            setFields.add(KEY_NEGATIVE_PROMPT);
            this.negativePrompt = negativePrompt;
            return this;
        }

        /**
         * Sets width and height.
         *
         * @param width pixels
         * @param height pixels
         * @return this builder
         */
        public Builder size(int width, int height) {
            setFields.add(KEY_WIDTH);
            setFields.add(KEY_HEIGHT);
            this.width = width;
            this.height = height;
            return this;
        }

        /**
         * Sets the width.
         *
         * @param width pixels, a multiple of 8 in [32, 2048]
         * @return this builder
         */
        public Builder width(int width) {
            setFields.add(KEY_WIDTH);
            this.width = width;
            return this;
        }

        /**
         * Sets the height.
         *
         * @param height pixels, a multiple of 8 in [32, 2048]
         * @return this builder
         */
        public Builder height(int height) {
            setFields.add(KEY_HEIGHT);
            this.height = height;
            return this;
        }

        /**
         * Sets frames per clip, N.
         *
         * @param framesPerClip in [1, 256]
         * @return this builder
         */
        public Builder framesPerClip(int framesPerClip) {
            setFields.add(KEY_FRAMES_PER_CLIP);
            this.framesPerClip = framesPerClip;
            return this;
        }

        /**
         * Sets the number of clips, K.
         *
         * @param clips in [1, 10000]
         * @return this builder
         */
        public Builder clips(int clips) {
            setFields.add(KEY_CLIPS);
            this.clips = clips;
            return this;
        }

        /**
         * Sets the denoising steps per clip.
         *
         * @param steps in [1, 1000]
         * @return this builder
         */
        public Builder steps(int steps) {
            setFields.add(KEY_STEPS);
            this.steps = steps;
            return this;
        }

        /**
         * Sets the guidance scale, w.
         *
         * @param guidanceScale finite
         * @return this builder
         */
        public Builder guidanceScale(double guidanceScale) {
            setFields.add(KEY_GUIDANCE_SCALE);
            this.guidanceScale = guidanceScale;
            return this;
        }

        /**
         * Sets the seed.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder seed(long seed) {
            setFields.add(KEY_SEED);
            this.seed = seed;
            return this;
        }

        /**
         * Sets the prompt frames, M.
         *
         * @param promptFrames in [0, framesPerClip - 1]
         * @return this builder
         */
        public Builder promptFrames(int promptFrames) {
            setFields.add(KEY_PROMPT_FRAMES);
            this.promptFrames = promptFrames;
            return this;
        }

        /**
         * Sets the noise reuse, α.
         *
         * @param noiseReuse finite, at least 0
         * @return this builder
         */
        public Builder noiseReuse(double noiseReuse) {
            setFields.add(KEY_NOISE_REUSE);
            this.noiseReuse = noiseReuse;
            return this;
        }

        /**
         * Sets the staged guidance, β.
         *
         * @param stagedGuidance in [0, 1]
         * @return this builder
         */
        public Builder stagedGuidance(double stagedGuidance) {
            setFields.add(KEY_STAGED_GUIDANCE);
            this.stagedGuidance = stagedGuidance;
            return this;
        }

        /**
         * Sets the frame rate.
         *
         * @param fps in (0, 240]
         * @return this builder
         */
        public Builder fps(double fps) {
            setFields.add(KEY_FPS);
            this.fps = fps;
            return this;
        }

        /**
         * Checks every field and creates the request.
         *
         * @return the request
         * @throws InvalidRequestException listing every problem found, each naming the
         *     field, the value and the allowed range
         */
        public GenerationRequest build() {
            List<FieldError> errors = validate();
            if (!errors.isEmpty()) {
                throw new InvalidRequestException(errors);
            }
            return new GenerationRequest(this);
        }

        List<FieldError> validate() {
            List<FieldError> e = new ArrayList<>();
            checkText(e, KEY_PROMPT, prompt, false);
            boolean clipsValid = clips >= 1 && clips <= MAX_CLIPS;
            if (clipPrompts == null) {
                e.add(error(KEY_CLIP_PROMPTS, null, "must not be null (use an empty list for no schedule)"));
            } else {
                if (!clipPrompts.isEmpty() && clipsValid && clipPrompts.size() != clips) {
                    String list = StringListCodec.encode(clipPrompts);
                    e.add(new FieldError(KEY_CLIP_PROMPTS, list, KEY_CLIP_PROMPTS + " = " + abbreviate(list)
                            + " (" + clipPrompts.size() + " prompts): must be empty or hold exactly one"
                            + " prompt per clip (clips = " + clips + ")"));
                }
                for (int i = 0; i < clipPrompts.size(); i++) {
                    checkText(e, KEY_CLIP_PROMPTS + "[" + i + "]", clipPrompts.get(i), false);
                }
            }
            checkText(e, KEY_NEGATIVE_PROMPT, negativePrompt, true);
            checkSize(e, KEY_WIDTH, width);
            checkSize(e, KEY_HEIGHT, height);
            boolean framesValid = checkRange(e, KEY_FRAMES_PER_CLIP, framesPerClip, 1, MAX_FRAMES_PER_CLIP);
            checkRange(e, KEY_CLIPS, clips, 1, MAX_CLIPS);
            checkRange(e, KEY_STEPS, steps, 1, MAX_STEPS);
            if (!Double.isFinite(guidanceScale)) {
                e.add(error(KEY_GUIDANCE_SCALE, guidanceScale, "must be a finite number"));
            }
            if (framesValid) {
                if (promptFrames < 0 || promptFrames > framesPerClip - 1) {
                    e.add(error(KEY_PROMPT_FRAMES, promptFrames, "must be in [0, " + (framesPerClip - 1)
                            + "] (frames_per_clip - 1, frames_per_clip = " + framesPerClip + ")"));
                }
            } else if (promptFrames < 0) {
                // N itself is invalid, so only the bound that does not depend on it is checked.
                e.add(error(KEY_PROMPT_FRAMES, promptFrames, "must be >= 0 and < frames_per_clip"));
            }
            if (!(noiseReuse >= 0) || !Double.isFinite(noiseReuse)) {
                e.add(error(KEY_NOISE_REUSE, noiseReuse, "must be finite and >= 0"));
            }
            if (!(stagedGuidance >= 0 && stagedGuidance <= 1)) {
                e.add(error(KEY_STAGED_GUIDANCE, stagedGuidance, "must be in [0, 1]"));
            }
            if (!(fps > 0 && fps <= MAX_FPS)) {
                e.add(error(KEY_FPS, fps, "must be in (0, " + MAX_FPS + "]"));
            }
            return e;
        }

        private static void checkText(List<FieldError> e, String field, String text, boolean mayBeBlank) {
            if (text == null) {
                e.add(error(field, null, "must not be null"));
            } else if (!mayBeBlank && text.isBlank()) {
                e.add(error(field, text, "must not be empty or blank"));
            } else if (text.length() > MAX_PROMPT_LENGTH) {
                e.add(error(field, text, "is " + text.length() + " characters long; at most "
                        + MAX_PROMPT_LENGTH + " are allowed"));
            }
        }

        private static void checkSize(List<FieldError> e, String field, int value) {
            if (value < MIN_SIZE || value > MAX_SIZE || value % SIZE_MULTIPLE != 0) {
                e.add(error(field, value, "must be a multiple of " + SIZE_MULTIPLE + " in ["
                        + MIN_SIZE + ", " + MAX_SIZE + "]"));
            }
        }

        private static boolean checkRange(List<FieldError> e, String field, int value, int min, int max) {
            if (value < min || value > max) {
                e.add(error(field, value, "must be in [" + min + ", " + max + "]"));
                return false;
            }
            return true;
        }

        static FieldError error(String field, Object value, String rule) {
            String text = String.valueOf(value);
            String shown = value instanceof String s ? "\"" + abbreviate(s) + "\"" : text;
            return new FieldError(field, text, field + " = " + shown + ": " + rule);
        }

        /** Long prompts are cut in messages so that one bad field does not drown the others. */
        private static String abbreviate(String s) {
            int max = 60;
            return s.length() <= max ? s : s.substring(0, max) + "...";
        }
    }
}
