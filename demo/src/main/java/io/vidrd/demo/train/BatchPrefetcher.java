package io.vidrd.demo.train;

import io.vidrd.demo.data.Sample;
import io.vidrd.demo.data.SyntheticVideos;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * Renders the training batches of a data stream ahead: while a step runs on the device, the next
 * batch is drawn on the host. A batch depends only on the stream's seed and cursor, so
 * prefetching changes no result.
 */
final class BatchPrefetcher implements AutoCloseable {

    private final SyntheticVideos data;
    private final long seed;
    private final int size;
    private long pendingCursor = -1;
    private CompletableFuture<List<Sample>> pending;

    /**
     * @param data the clip generator
     * @param seed the stream's seed
     * @param size clips per batch
     */
    BatchPrefetcher(SyntheticVideos data, long seed, int size) {
        this.data = data;
        this.seed = seed;
        this.size = size;
    }

    /**
     * @param cursor index of the batch's first sample
     * @return the batch; the one after it starts rendering in the background
     */
    List<Sample> take(long cursor) {
        List<Sample> batch = cursor == pendingCursor ? pending.join() : render(cursor);
        long next = cursor + size;
        pendingCursor = next;
        pending = CompletableFuture.supplyAsync(() -> render(next));
        return batch;
    }

    private List<Sample> render(long cursor) {
        // rendering is deterministic per index, so parallel rendering gives the same batch
        return IntStream.range(0, size).parallel().mapToObj(i -> data.sample(seed, cursor + i)).toList();
    }

    @Override
    public void close() {
        if (pending != null) {
            pending.cancel(false);
        }
    }
}
