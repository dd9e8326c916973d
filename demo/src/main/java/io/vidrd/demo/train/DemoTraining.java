package io.vidrd.demo.train;

import ai.djl.ndarray.NDManager;
import io.vidrd.demo.data.Sample;
import io.vidrd.demo.data.SyntheticVideos;
import io.vidrd.runtime.Torch;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Trains the embedded demo model, resumably, in the paper's order ({@link TrainingState.Stage}):
 * image VAE, then the decoder's temporal layers alone, then U-Net and text encoder, on
 * {@link SyntheticVideos} generated on the fly. Each call trains for at most {@code --minutes},
 * writing a checkpoint ({@link CheckpointFolder}: the model in the official layout, Adam moments,
 * step, data cursor; in the U-Net stage the {@link WeightAverage}) every {@code --checkpoint-every}
 * steps and at the end; the next call with the same {@code --out} continues from it. The loss
 * curve goes to {@code OUT/loss.csv}. The result is {@code OUT/checkpoint/model}, which
 * {@code vidrd generate --model} reads; {@code ModelExport --average} ships it with the averaged
 * weights.
 */
public final class DemoTraining {

    /** Updates over which a fresh optimiser ramps up its step size (see {@link Adam#Adam(float, int)}). */
    static final int ADAM_WARMUP = 100;

    private final TrainingOptions options;
    private final NDManager manager;
    private final PrintStream console;
    private final CheckpointFolder folder;
    private final SyntheticVideos data;
    private int stepsLeft;

    private DemoTraining(TrainingOptions options, NDManager manager, PrintStream console) {
        this.options = options;
        this.manager = manager;
        this.console = console;
        this.folder = new CheckpointFolder(options.out());
        DemoModelSpec spec = options.spec();
        this.data = new SyntheticVideos(spec.size(), spec.size(), spec.frames());
        this.stepsLeft = options.maxSteps();
    }

    /**
     * @param args see {@link TrainingOptions#USAGE}
     * @throws Exception when training fails
     */
    public static void main(String[] args) throws Exception {
        TrainingOptions options;
        try {
            options = TrainingOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(TrainingOptions.USAGE);
            System.exit(2);
            return;
        }
        System.out.println("stage after this call: " + run(options, System.out));
    }

    /**
     * @param options the command line
     * @param console progress output
     * @return the state of the latest checkpoint
     * @throws IOException on read or write failure
     */
    public static TrainingState run(TrainingOptions options, PrintStream console) throws IOException {
        try (NDManager manager = Torch.newManager(options.device())) {
            return new DemoTraining(options, manager, console).run();
        }
    }

    private TrainingState run() throws IOException {
        long deadline = System.nanoTime() + (long) (options.minutes() * 60e9);
        Files.createDirectories(options.out());
        Optional<Path> latest = folder.latest();
        TrainingState state;
        if (latest.isEmpty()) {
            Path fresh = folder.begin();
            DemoModelWriter.write(fresh.resolve(CheckpointFolder.MODEL), options.spec(), options.seed());
            state = TrainingState.initial();
            state.write(fresh);
            folder.commit();
            console.println("new model in " + options.out());
        } else {
            state = TrainingState.read(latest.get());
            console.println("resuming " + state);
        }
        try (LossLog log = new LossLog(options.out().resolve("loss.csv"))) {
            while (state.stage() != TrainingState.Stage.DONE && System.nanoTime() < deadline && stepsLeft > 0) {
                state = runStage(state, log, deadline);
            }
        }
        return state;
    }

    private TrainingState runStage(TrainingState start, LossLog log, long deadline) throws IOException {
        TrainingState.Stage stage = start.stage();
        Path checkpoint = folder.latest().orElseThrow();
        int total = options.steps(stage);
        long stageSeed = options.seed() * 1_000_003L + stage.ordinal();
        try (StageTrainer trainer = open(stage, checkpoint.resolve(CheckpointFolder.MODEL), start);
                Adam adam = new Adam(options.learningRate(stage), ADAM_WARMUP);
                WeightAverage average = new WeightAverage(options.averageDecay());
                BatchPrefetcher batches = new BatchPrefetcher(data, stageSeed, options.batch(stage))) {
            Path moments = checkpoint.resolve(CheckpointFolder.OPTIMIZER);
            // with the text encoder frozen, its moments and average from earlier calls are dropped
            Predicate<String> untrained = key -> stage == TrainingState.Stage.UNET && options.frozenText()
                    && !TrainableDiffusion.isUNet(key);
            if (start.step() > 0 && Files.isRegularFile(moments) && !options.freshOptimizer()) {
                int dropped = adam.restore(moments, trainer.trainable(), untrained);
                if (dropped > 0) {
                    console.println("text encoder frozen: Adam's moments of " + dropped / 2 + " text tensors dropped");
                }
            }
            // the average is what ships; only the U-Net stage keeps one (a run from before it existed starts it now)
            boolean averaged = stage == TrainingState.Stage.UNET;
            Path averageFile = checkpoint.resolve(CheckpointFolder.AVERAGE);
            if (averaged && Files.isRegularFile(averageFile)) {
                int dropped = average.restore(averageFile, trainer.trainable(), untrained);
                if (dropped > 0) {
                    console.println("text encoder frozen: the weight average of " + dropped
                            + " text tensors dropped (the frozen weights ship)");
                }
            }
            console.printf(Locale.ROOT, "%s: step %d of %d, %d trained tensors%n", stage, start.step(), total,
                    trainer.trainable().size());
            TrainingState s = start;
            long last = System.nanoTime();
            long[] phases = new long[3];
            int timed = 0;
            while (s.step() < total && System.nanoTime() < deadline && stepsLeft > 0) {
                stepsLeft--;
                List<Sample> batch = batches.take(s.cursor());
                long rendered = System.nanoTime();
                SplittableRandom random = new SplittableRandom(stageSeed ^ (0x9E3779B97F4A7C15L * (s.step() + 1)));
                float[] losses = trainer.backward(batch, random);
                if (!Float.isFinite(losses[0])) {
                    // nothing of this step is saved: the last checkpoint stays the one to resume from
                    throw new IllegalStateException(String.format(Locale.ROOT,
                            "%s step %d: the loss is %s, the training diverged; the last checkpoint is kept "
                            + "(resume from it with a smaller learning rate)", stage, s.step() + 1, losses[0]));
                }
                long computed = System.nanoTime();
                if (s.step() == 1) {
                    // the second step: zero-initialised temporal outputs have moved, all should be reached
                    List<String> unreached = Gradients.unreached(trainer.trainable());
                    if (!unreached.isEmpty()) {
                        console.println("WARNING: no gradient reaches " + unreached.size() + " tensors, e.g. "
                                + unreached.subList(0, Math.min(5, unreached.size())));
                    }
                }
                long checked = System.nanoTime();
                adam.step(trainer.trainable());
                if (averaged) {
                    average.update(trainer.trainable());
                }
                long now = System.nanoTime();
                phases[0] += rendered - last;
                phases[1] += computed - rendered;
                phases[2] += now - checked;
                timed++;
                s = s.advance(1, batch.size(), (now - last) / 1e9);
                last = now;
                log.add(stage, s.step(), losses, s.seconds());
                if (s.step() % 50 == 0 || s.step() == 1) {
                    console.printf(Locale.ROOT, "%s step %d loss %.5f (%.1f s; per step: batch wait %.1f ms, "
                            + "forward+backward %.1f ms, Adam %.1f ms)%n", stage, s.step(), losses[0], s.seconds(),
                            phases[0] / 1e6 / timed, phases[1] / 1e6 / timed, phases[2] / 1e6 / timed);
                    Arrays.fill(phases, 0);
                    timed = 0;
                }
                if (s.step() % options.checkpointEvery() == 0 && s.step() < total) {
                    save(s, trainer, adam, averaged ? average : null);
                    log.flush();
                }
            }
            if (s.step() < total) {
                save(s, trainer, adam, averaged ? average : null);
                return s;
            }
            Path next = folder.begin();
            double factor = trainer.complete(next.resolve(CheckpointFolder.MODEL));
            Files.deleteIfExists(next.resolve(CheckpointFolder.OPTIMIZER));
            if (averaged) {
                average.save(next.resolve(CheckpointFolder.AVERAGE));
            }
            TrainingState done = s.nextStage(factor);
            done.write(next);
            folder.commit();
            console.println(stage + " done" + (factor != 0 ? ", latent scaling factor " + factor : ""));
            return done;
        }
    }

    private StageTrainer open(TrainingState.Stage stage, Path model, TrainingState state) throws IOException {
        return switch (stage) {
            case VAE -> VaeStage.image(model, manager, data);
            case TEMPORAL_DECODER -> VaeStage.temporal(model, manager, data);
            case UNET -> DiffusionStage.open(model, manager, state.scalingFactor(), options.timesteps(),
                    !options.frozenText());
            case DONE -> throw new IllegalStateException("nothing to train");
        };
    }

    private void save(TrainingState state, StageTrainer trainer, Adam adam, WeightAverage average) throws IOException {
        Path next = folder.begin();
        trainer.save(next.resolve(CheckpointFolder.MODEL));
        adam.save(next.resolve(CheckpointFolder.OPTIMIZER));
        if (average != null) {
            average.save(next.resolve(CheckpointFolder.AVERAGE));
        }
        state.write(next);
        folder.commit();
    }
}
