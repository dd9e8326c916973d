package io.vidrd.ui.jobs;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The jobs the UI remembers, oldest first, at most {@code maxJobs} of them, of which at most
 * {@code maxVideos} hold their finished video. Room is made by dropping the oldest finished
 * job; when every job is still queued or running there is no room.
 */
final class JobStore {

    private final int maxJobs;
    private final int maxVideos;
    private final Map<String, UiJob> jobs = new LinkedHashMap<>();

    JobStore(int maxJobs, int maxVideos) {
        this.maxJobs = maxJobs;
        this.maxVideos = maxVideos;
    }

    /**
     * Makes room for one more job by discarding the oldest finished ones.
     *
     * @return whether there is room now
     */
    boolean makeRoom() {
        List<UiJob> dropped = new ArrayList<>();
        synchronized (this) {
            Iterator<UiJob> it = jobs.values().iterator();
            while (jobs.size() >= maxJobs && it.hasNext()) {
                UiJob j = it.next();
                if (j.snapshot().status().isTerminal()) {
                    it.remove();
                    dropped.add(j);
                }
            }
        }
        dropped.forEach(UiJob::discard);
        synchronized (this) {
            return jobs.size() < maxJobs;
        }
    }

    synchronized void add(UiJob job) {
        jobs.put(job.id(), job);
    }

    synchronized Optional<UiJob> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** @return the jobs, oldest first */
    synchronized List<UiJob> list() {
        return List.copyOf(jobs.values());
    }

    /** Releases the videos of all but the newest {@code maxVideos} finished jobs. */
    void retainVideos() {
        List<UiJob> withVideo = new ArrayList<>();
        for (UiJob j : list()) {
            if (j.snapshot().videoReady()) {
                withVideo.add(j);
            }
        }
        for (int i = 0; i < withVideo.size() - maxVideos; i++) {
            withVideo.get(i).releaseVideo();
        }
    }

    /** Cancels every job and deletes every job's files. */
    void clear() {
        List<UiJob> all;
        synchronized (this) {
            all = List.copyOf(jobs.values());
            jobs.clear();
        }
        all.forEach(UiJob::discard);
    }
}
