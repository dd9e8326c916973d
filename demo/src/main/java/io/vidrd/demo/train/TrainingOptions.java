package io.vidrd.demo.train;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The command line of {@link DemoTraining}.
 *
 * @param out output folder (checkpoint, loss log); a run resumes from it
 * @param minutes training time limit of this call
 * @param device where to train
 * @param spec model sizes
 * @param vaeSteps image VAE steps
 * @param temporalSteps temporal decoder steps
 * @param unetSteps U-Net and text encoder steps
 * @param vaeBatch clips per VAE step (all their frames are used)
 * @param unetBatch clips per U-Net step
 * @param checkpointEvery steps between checkpoints (one is also written at the end of a call)
 * @param seed data and initialisation seed
 * @param maxSteps optimiser steps this call may do over all stages (a checkpoint follows)
 * @param unetLearningRate Adam's step size in the U-Net stage (may change between calls of a run)
 * @param averageDecay decay of the U-Net stage's weight average ({@link WeightAverage})
 * @param timesteps the timesteps the U-Net stage draws and their weights in its loss
 * @param freshOptimizer whether this call starts Adam's moments afresh instead of resuming them
 * @param frozenText whether the U-Net stage leaves the text encoder as it is (trains the U-Net alone)
 */
public record TrainingOptions(Path out, double minutes, Device device, DemoModelSpec spec, int vaeSteps,
        int temporalSteps, int unetSteps, int vaeBatch, int unetBatch, int checkpointEvery, long seed, int maxSteps,
        float unetLearningRate, float averageDecay, TimestepSampling timesteps, boolean freshOptimizer,
        boolean frozenText) {

    /** Default U-Net stage learning rate. */
    public static final float UNET_LEARNING_RATE = 5e-4f;
    /** Default decay of the U-Net stage's weight average. */
    public static final float AVERAGE_DECAY = 0.999f;

    /** Usage text. */
    public static final String USAGE = String.join("\n",
            "usage: DemoTraining --out DIR [options]   (resumes from DIR/checkpoint when present)",
            "  --minutes M          stop (after a checkpoint) when M minutes have passed (default 8)",
            "  --device cpu|gpu     default cpu",
            "  --spec standard|tiny model sizes (default standard: 32x32, 8 frames)",
            "  --vae-steps N        image VAE steps (default 1500)",
            "  --temporal-steps N   temporal decoder steps (default 300)",
            "  --unet-steps N       U-Net + text encoder steps (default 20000)",
            "  --vae-batch N        clips per VAE step (default 8)",
            "  --unet-batch N       clips per U-Net step (default 32)",
            "  --checkpoint-every N steps between checkpoints (default 500)",
            "  --unet-lr R          Adam's step size in the U-Net stage (default 5e-4)",
            "  --average-decay D    decay of the U-Net weight average shipped by ModelExport --average (default 0.999)",
            "  --timesteps LO-HI    training timesteps of the U-Net stage (default 0-999; a high range such as",
            "                       500-999 trains what the prompt decides: layout, colour, motion direction)",
            "  --high-noise-weight W  weigh a sample at timestep t by min(1/alpha_bar_t, W) in the U-Net loss",
            "                       (default 1: the plain epsilon objective; e.g. 20 makes the high noise levels,",
            "                       where the prompt decides the trajectory, count; see TimestepSampling)",
            "  --text trained|frozen train the text encoder with the U-Net (default) or leave it as it is, e.g.",
            "                       after CaptionAttributeTraining (its state in the optimiser and the average is dropped)",
            "  --optimizer resume|fresh  resume Adam's moments (default) or start them afresh, e.g. after",
            "                       changing --timesteps, whose gradients have a different scale",
            "  --seed S             default 1",
            "  --max-steps N        stop this call after N steps over all stages (default: no limit)");

    /**
     * @param args the arguments
     * @return the options
     * @throws IllegalArgumentException naming a bad or missing argument
     */
    public static TrainingOptions parse(String... args) {
        Path out = null;
        double minutes = 8;
        Device device = Device.cpu();
        DemoModelSpec spec = DemoModelSpec.standard();
        int[] ints = {1500, 300, 20000, 8, 32, 500, Integer.MAX_VALUE};
        String[] names = {"--vae-steps", "--temporal-steps", "--unet-steps", "--vae-batch", "--unet-batch",
            "--checkpoint-every", "--max-steps"};
        long seed = 1;
        float unetLr = UNET_LEARNING_RATE;
        float averageDecay = AVERAGE_DECAY;
        int[] timesteps = {0, 999};
        double highNoiseWeight = 1;
        boolean frozenText = false;
        boolean fresh = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            try {
            switch (a) {
                case "--out" -> out = Path.of(v);
                case "--minutes" -> minutes = Double.parseDouble(v);
                case "--device" -> device = switch (v.toLowerCase(Locale.ROOT)) {
                    case "cpu" -> Device.cpu();
                    case "gpu" -> Device.gpu();
                    default -> throw new IllegalArgumentException("--device must be cpu or gpu, got " + v);
                };
                case "--spec" -> spec = switch (v) {
                    case "standard" -> DemoModelSpec.standard();
                    case "tiny" -> DemoModelSpec.tiny();
                    default -> throw new IllegalArgumentException("--spec must be standard or tiny, got " + v);
                };
                case "--seed" -> seed = Long.parseLong(v);
                case "--timesteps" -> {
                    String[] range = v.split("-", -1);
                    if (range.length != 2) {
                        throw new IllegalArgumentException("--timesteps must be LO-HI, e.g. 500-999, got " + v);
                    }
                    timesteps = new int[] {Integer.parseInt(range[0].trim()), Integer.parseInt(range[1].trim())};
                    if (timesteps[0] < 0 || timesteps[0] > timesteps[1] || timesteps[1] > 999) {
                        throw new IllegalArgumentException("--timesteps must satisfy 0 <= LO <= HI <= 999, got " + v);
                    }
                }
                case "--high-noise-weight" -> {
                    highNoiseWeight = Double.parseDouble(v);
                    if (!(highNoiseWeight >= 1) || Double.isInfinite(highNoiseWeight)) {
                        throw new IllegalArgumentException("--high-noise-weight must be a number >= 1, got " + v);
                    }
                }
                case "--text" -> frozenText = switch (v) {
                    case "trained" -> false;
                    case "frozen" -> true;
                    default -> throw new IllegalArgumentException("--text must be trained or frozen, got " + v);
                };
                case "--optimizer" -> fresh = switch (v) {
                    case "resume" -> false;
                    case "fresh" -> true;
                    default -> throw new IllegalArgumentException("--optimizer must be resume or fresh, got " + v);
                };
                case "--unet-lr" -> {
                    unetLr = Float.parseFloat(v);
                    if (!(unetLr > 0 && unetLr < 1)) {
                        throw new IllegalArgumentException("--unet-lr must be in (0, 1), got " + v);
                    }
                }
                case "--average-decay" -> {
                    averageDecay = Float.parseFloat(v);
                    if (!(averageDecay > 0 && averageDecay < 1)) {
                        throw new IllegalArgumentException("--average-decay must be in (0, 1), got " + v);
                    }
                }
                default -> {
                    int k = Arrays.asList(names).indexOf(a);
                    if (k < 0) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                    ints[k] = Integer.parseInt(v);
                    if (ints[k] < 1) {
                        throw new IllegalArgumentException(a + " must be at least 1, got " + v);
                    }
                }
            }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(a + " needs a number, got " + v, e);
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out DIR is required");
        }
        return new TrainingOptions(out, minutes, device, spec, ints[0], ints[1], ints[2], ints[3], ints[4], ints[5], seed, ints[6],
                unetLr, averageDecay, new TimestepSampling(timesteps[0], timesteps[1], highNoiseWeight), fresh, frozenText);
    }

    /**
     * @param stage a training stage
     * @return its step count
     */
    public int steps(TrainingState.Stage stage) {
        return switch (stage) {
            case VAE -> vaeSteps;
            case TEMPORAL_DECODER -> temporalSteps;
            case UNET -> unetSteps;
            case DONE -> 0;
        };
    }

    /**
     * @param stage a training stage
     * @return clips per step
     */
    public int batch(TrainingState.Stage stage) {
        return stage == TrainingState.Stage.UNET ? unetBatch : vaeBatch;
    }

    /**
     * @param stage a training stage
     * @return Adam's learning rate
     */
    public float learningRate(TrainingState.Stage stage) {
        return stage == TrainingState.Stage.UNET ? unetLearningRate : 1e-3f;
    }
}
