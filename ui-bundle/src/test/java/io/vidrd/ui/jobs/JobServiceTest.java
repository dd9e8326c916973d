package io.vidrd.ui.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidrd.api.EngineInfo;
import io.vidrd.api.GenerationJob;
import io.vidrd.api.GenerationListener;
import io.vidrd.api.GenerationRequest;
import io.vidrd.api.JobStatus;
import io.vidrd.api.Progress;
import io.vidrd.api.Video;
import io.vidrd.api.VideoGenerator;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's bounds with a generator that only records listeners and never runs anything. */
class JobServiceTest {

    @TempDir
    Path dir;

    private final List<GenerationListener> listeners = new ArrayList<>();
    private int engineQueue = Integer.MAX_VALUE;

    private final VideoGenerator generator = new VideoGenerator() {
        @Override
        public GenerationJob submit(GenerationRequest request, GenerationListener listener) {
            if (listeners.size() >= engineQueue) {
                throw new RejectedExecutionException("the job queue is full");
            }
            listeners.add(listener);
            return (GenerationJob) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {GenerationJob.class},
                    (p, m, a) -> m.getName().equals("id") ? "engine-" + listeners.size() : m.getName().equals("cancel") ? true : null);
        }

        @Override
        public EngineInfo info() {
            return new EngineInfo("fake", "1", "m", "cpu", "float32", Map.of());
        }
    };

    private final GenerationRequest request = GenerationRequest.builder("x").size(32, 32).framesPerClip(2)
            .promptFrames(0).steps(1).build();

    @Test
    void unfinishedJobsFillTheStoreAndFinishedOnesMakeRoom() throws Exception {
        JobService jobs = new JobService(() -> Optional.of(generator), Optional::empty, dir, 2, 1, 4);
        UiJob a = jobs.submit(request);
        jobs.submit(request);
        assertThrows(JobsFullException.class, () -> jobs.submit(request));
        assertTrue(JobIds.isWellFormed(a.id()));
        assertTrue(Files.isDirectory(dir.resolve(a.id())));

        listeners.get(0).onCancelled("test");
        assertEquals(JobStatus.CANCELLED, a.snapshot().status());
        UiJob c = jobs.submit(request);
        assertFalse(jobs.get(a.id()).isPresent(), "the finished job was not dropped");
        assertFalse(Files.exists(dir.resolve(a.id())), "its folder was not deleted");
        assertTrue(jobs.get(c.id()).isPresent());
        assertFalse(jobs.get("../" + c.id()).isPresent());
        assertFalse(jobs.get(c.id().toUpperCase()).isPresent());
    }

    @Test
    void onlyTheNewestVideosAreKept() throws Exception {
        JobService jobs = new JobService(() -> Optional.of(generator), Optional::empty, dir, 10, 1, 4);
        UiJob a = jobs.submit(request);
        UiJob b = jobs.submit(request);
        Video v = Video.of(List.of(io.vidrd.api.Frame.ofRgb(1, 1, new byte[3])), 8, Map.of());
        listeners.get(0).onFinished(v);
        assertTrue(a.snapshot().videoReady());
        listeners.get(1).onProgress(new Progress(0, 1, 1, 1, 5));
        listeners.get(1).onFinished(v);
        assertTrue(b.snapshot().videoReady());
        assertFalse(a.snapshot().videoReady());
        assertTrue(a.snapshot().videoReleased());
    }

    @Test
    void aFullEngineQueueIsAFullStoreAndLeavesNothingBehind() throws Exception {
        engineQueue = 0;
        JobService jobs = new JobService(() -> Optional.of(generator), Optional::empty, dir, 10, 1, 4);
        assertThrows(JobsFullException.class, () -> jobs.submit(request));
        assertTrue(jobs.list().isEmpty());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
        JobService none = new JobService(Optional::empty, Optional::empty, dir, 10, 1, 4);
        assertThrows(NotAvailableException.class, () -> none.submit(request));
    }

    @Test
    void theFormStartsFromTheSizeTheCurrentModelWasTrainedAt() {
        JobService none = new JobService(Optional::empty, Optional::empty, dir, 10, 1, 4);
        assertEquals("256", none.requestDefaults().get(GenerationRequest.KEY_WIDTH));
        assertFalse(none.requestDefaults().containsKey(GenerationRequest.KEY_PROMPT));
        assertEquals("256", new JobService(() -> Optional.of(generator), Optional::empty, dir, 10, 1, 4)
                .requestDefaults().get(GenerationRequest.KEY_HEIGHT), "a model without a size of its own");
        VideoGenerator demo = new VideoGenerator() {
            @Override
            public GenerationJob submit(GenerationRequest r, GenerationListener listener) {
                throw new UnsupportedOperationException();
            }

            @Override
            public EngineInfo info() {
                return new EngineInfo("fake", "1", "demo", "cpu", "float32", Map.of(EngineInfo.PROP_DEFAULT_SIZE, "32x48"));
            }
        };
        Map<String, String> d = new JobService(() -> Optional.of(demo), Optional::empty, dir, 10, 1, 4).requestDefaults();
        assertEquals("32", d.get(GenerationRequest.KEY_WIDTH));
        assertEquals("48", d.get(GenerationRequest.KEY_HEIGHT));
        assertEquals(Integer.toString(GenerationRequest.DEFAULT_STEPS), d.get(GenerationRequest.KEY_STEPS));
    }
}
