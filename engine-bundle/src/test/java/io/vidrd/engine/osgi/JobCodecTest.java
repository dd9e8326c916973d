package io.vidrd.engine.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.vidrd.api.Clip;
import io.vidrd.api.GenerationException;
import io.vidrd.api.Progress;
import io.vidrd.runtime.codec.CodecClosedException;
import io.vidrd.runtime.codec.DecodeOptions;
import io.vidrd.runtime.codec.LatentCodec;
import io.vidrd.runtime.codec.LatentDistribution;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A job's codec across a reconfiguration of the codec service, without tensors (the fakes decode nothing). */
class JobCodecTest {

    private static final Duration SHORT = Duration.ofMillis(300);

    /** Counts decodes; throws what a closed codec throws once closed. */
    private static final class FakeCodec implements LatentCodec {
        final String name;
        final int scale;
        volatile boolean closed;
        int decodes;

        FakeCodec(String name, int scale) {
            this.name = name;
            this.scale = scale;
        }

        @Override public String kind() { return KIND_VIDRD; }
        @Override public String description() { return name; }
        @Override public Map<String, String> metadata() { return Map.of(META_VERSION, name); }
        @Override public int scaleFactor() { return scale; }
        @Override public int latentChannels() { return 4; }
        @Override public float scalingFactor() { return 0.18215f; }
        @Override public NDArray decodeFrames(NDArray z, DecodeOptions options) { throw new UnsupportedOperationException(); }
        @Override public LatentDistribution encode(NDArray frames) { throw new UnsupportedOperationException(); }

        @Override
        public NDArray decode(NDArray latents, DecodeOptions options) {
            if (closed) {
                throw new CodecClosedException("the '" + name + "' VAE codec is closed");
            }
            decodes++;
            return null;
        }
    }

    private static final class Control implements JobControl {
        final AtomicBoolean cancelled = new AtomicBoolean();
        @Override public boolean cancelled() { return cancelled.get(); }
        @Override public void progress(Progress progress) { }
        @Override public void clip(Clip clip) { }
        @Override public void warning(String message) { }
    }

    private static JobCodec acquire(AtomicReference<LatentCodec> bound, Control control, Duration swapWait)
            throws Exception {
        return JobCodec.acquire(bound::get, "(vidrd.vae.kind=vidrd)", control, SHORT, swapWait);
    }

    /** Like Declarative Services on a reconfiguration: unbind (null), then after a while the new one. */
    private static void rebindLater(AtomicReference<LatentCodec> bound, LatentCodec next, long millis) {
        bound.set(null);
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            bound.set(next);
        });
        t.setDaemon(true);
        t.start();
    }

    @Test
    void aCodecClosedBeforeTheFirstClipIsReplacedByTheReconfiguredOne() throws Exception {
        FakeCodec old = new FakeCodec("fp16", 8);
        FakeCodec reconfigured = new FakeCodec("bf16", 8);
        AtomicReference<LatentCodec> bound = new AtomicReference<>(old);
        JobCodec job = acquire(bound, new Control(), Duration.ofSeconds(30));
        old.closed = true;
        rebindLater(bound, reconfigured, 200);
        job.decode(null, DecodeOptions.defaults());
        job.decode(null, DecodeOptions.defaults());
        assertSame(reconfigured, job.codec(), "the job's metadata names the codec that decoded it");
        assertEquals(2, reconfigured.decodes);
        assertEquals(0, old.decodes);
    }

    @Test
    void aCodecClosedAfterAClipFailsTheJobSayingWhy() throws Exception {
        FakeCodec old = new FakeCodec("fp16", 8);
        AtomicReference<LatentCodec> bound = new AtomicReference<>(old);
        JobCodec job = acquire(bound, new Control(), Duration.ofSeconds(30));
        job.decode(null, DecodeOptions.defaults());
        old.closed = true;
        bound.set(new FakeCodec("bf16", 8));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> job.decode(null, DecodeOptions.defaults()));
        assertTrue(e.getMessage().contains("reconfigured or stopped while this job ran, after 1 clip(s) had been decoded")
                && e.getMessage().contains("submit the job again"), e.getMessage());
    }

    /** A job started on an "fp16" codec that is then closed, with {@code replacement} bound (or none); its next decode fails. */
    private static IllegalStateException decodeAfterClosing(LatentCodec replacement) throws Exception {
        FakeCodec old = new FakeCodec("fp16", 8);
        AtomicReference<LatentCodec> bound = new AtomicReference<>(old);
        JobCodec job = acquire(bound, new Control(), SHORT);
        old.closed = true;
        bound.set(replacement);
        return assertThrows(IllegalStateException.class, () -> job.decode(null, DecodeOptions.defaults()));
    }

    @Test
    void noReplacementInTimeFailsTheJobSayingWhy() throws Exception {
        IllegalStateException e = decodeAfterClosing(null);
        assertTrue(e.getMessage().contains("no codec matching (vidrd.vae.kind=vidrd) was bound within 0 s"), e.getMessage());
        assertTrue(e.getMessage().contains("the 'fp16' VAE codec is closed"), e.getMessage());
    }

    @Test
    void aReplacementWithOtherLatentsIsRefused() throws Exception {
        IllegalStateException e = decodeAfterClosing(new FakeCodec("other", 16));
        assertTrue(e.getMessage().contains("other latents"), e.getMessage());
    }

    @Test
    void cancellingWhileWaitingForTheReplacementCancels() throws Exception {
        FakeCodec old = new FakeCodec("fp16", 8);
        AtomicReference<LatentCodec> bound = new AtomicReference<>(old);
        Control control = new Control();
        JobCodec job = acquire(bound, control, Duration.ofSeconds(30));
        old.closed = true;
        bound.set(null);
        control.cancelled.set(true);
        assertThrows(JobPipeline.JobCancelledSignal.class, () -> job.decode(null, DecodeOptions.defaults()));
    }

    @Test
    void nothingBoundAtTheStartFailsTheJob() {
        AtomicReference<LatentCodec> bound = new AtomicReference<>();
        GenerationException e = assertThrows(GenerationException.class, () -> acquire(bound, new Control(), SHORT));
        assertTrue(e.getMessage().startsWith("no latent codec matching (vidrd.vae.kind=vidrd) is registered"), e.getMessage());
    }
}
