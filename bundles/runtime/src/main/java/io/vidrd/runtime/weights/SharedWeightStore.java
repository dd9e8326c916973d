package io.vidrd.runtime.weights;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.checkpoint.StateDict;
import io.vidrd.runtime.nn.WeightBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link WeightStore}: per file (canonical path, size, mtime) and target (device, element
 * type) one entry whose tensors live on a sub-manager of a store-owned root manager per device,
 * with a count of the open leases that use it. An entry whose count drops to zero is released
 * after {@code releaseDelay} unless a lease takes it again meanwhile.
 *
 * <p>Ownership: stored arrays never leave the store. A lease returns an alias
 * ({@link NDArray#stopGradient()}: a new tensor handle on the same storage) attached to the
 * caller's manager, so everything a model derives from its weights lands on the model's managers
 * and the store's managers hold exactly the stored tensors. libtorch counts storage references,
 * so closing the store while a model still runs leaves the model's aliases valid.
 */
public final class SharedWeightStore implements WeightStore, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SharedWeightStore.class.getName());

    private final Duration releaseDelay;
    private final Map<EntryKey, Entry> entries = new HashMap<>();
    private final Map<String, NDManager> roots = new HashMap<>();
    private final AtomicLong reads = new AtomicLong();
    private final ScheduledExecutorService releaser;
    private boolean closed;

    /**
     * @param releaseDelay how long an unused file's tensors stay stored (zero: released at once)
     */
    public SharedWeightStore(Duration releaseDelay) {
        this.releaseDelay = releaseDelay.isNegative() ? Duration.ZERO : releaseDelay;
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "vidrd-weight-store");
            t.setDaemon(true);
            return t;
        });
        // the thread exists only while a release is pending, so an idle store holds none
        ex.setKeepAliveTime(1, TimeUnit.SECONDS);
        ex.allowCoreThreadTimeOut(true);
        ex.setRemoveOnCancelPolicy(true);
        this.releaser = ex;
    }

    @Override
    public Lease lease() {
        return new StoreLease();
    }

    @Override
    public long tensorReads() {
        return reads.get();
    }

    @Override
    public synchronized int storedFiles() {
        return entries.size();
    }

    @Override
    public synchronized int storedTensors() {
        int n = 0;
        for (Entry e : entries.values()) {
            n += e.tensors.size();
        }
        return n;
    }

    @Override
    public synchronized int releaseUnused() {
        int n = 0;
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext();) {
            Entry e = it.next();
            if (e.users == 0) {
                it.remove();
                e.release();
                n++;
            }
        }
        return n;
    }

    /** Releases every stored tensor; models still holding aliases keep their storage alive. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            for (Entry e : entries.values()) {
                e.release();
            }
            entries.clear();
            for (NDManager m : roots.values()) {
                m.close();
            }
            roots.clear();
        }
        releaser.shutdownNow();
    }

    private synchronized Entry acquire(EntryKey key, Device device) {
        if (closed) {
            throw new IllegalStateException("the weight store is closed");
        }
        Entry e = entries.get(key);
        if (e == null) {
            NDManager root = roots.computeIfAbsent(device.toString(), d -> Torch.newManager(device));
            e = new Entry(key, root.newSubManager());
            entries.put(key, e);
        }
        e.users++;
        if (e.pendingRelease != null) {
            e.pendingRelease.cancel(false);
            e.pendingRelease = null;
        }
        return e;
    }

    private synchronized void releaseUse(Entry e) {
        e.users--;
        if (e.users > 0 || entries.get(e.key) != e) {
            return;
        }
        if (releaseDelay.isZero() || closed) {
            entries.remove(e.key);
            e.release();
        } else {
            e.pendingRelease = releaser.schedule(() -> expire(e), releaseDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void expire(Entry e) {
        if (e.users == 0 && entries.get(e.key) == e) {
            entries.remove(e.key);
            e.release();
            LOG.log(System.Logger.Level.DEBUG, () -> "weight store released " + e.key.file);
        }
    }

    private static EntryKey keyOf(Path file, Device device, DataType type) throws IOException {
        Path real = file.toRealPath();
        return new EntryKey(real.toString(), Files.size(real), Files.getLastModifiedTime(real).toMillis(),
                device.toString(), type.name());
    }

    private record EntryKey(String file, long size, long modified, String device, String dataType) {}

    /** The stored tensors of one file for one target. Guarded by its own monitor for loading. */
    private static final class Entry {
        final EntryKey key;
        final NDManager manager;
        final Map<String, NDArray> tensors = new ConcurrentHashMap<>();
        int users; // guarded by the store
        java.util.concurrent.ScheduledFuture<?> pendingRelease; // guarded by the store

        Entry(EntryKey key, NDManager manager) {
            this.key = key;
            this.manager = manager;
        }

        void release() {
            tensors.clear();
            manager.close();
        }
    }

    /** One model's use: remembers the entries it took so closing gives each back once. */
    private final class StoreLease implements Lease {
        private final Map<EntryKey, Entry> used = new HashMap<>();
        private final Map<StateDict, EntryKey> keys = new IdentityHashMap<>();
        private final Set<Entry> released = new HashSet<>();
        private boolean leaseClosed;

        @Override
        public NDArray load(StateDict source, String key, NDManager manager, DataType dataType,
                WeightBinding.TensorReader reader) throws IOException {
            Entry e;
            synchronized (this) {
                if (leaseClosed) {
                    throw new IllegalStateException("weight store lease is closed");
                }
                EntryKey k = keys.get(source);
                if (k == null) {
                    k = keyOf(source.source(), manager.getDevice(), dataType);
                    keys.put(source, k);
                }
                e = used.get(k);
                if (e == null) {
                    e = acquire(k, manager.getDevice());
                    used.put(k, e);
                }
            }
            NDArray stored;
            synchronized (e) {
                stored = e.tensors.get(key);
                if (stored == null) {
                    stored = reader.read(e.manager);
                    reads.incrementAndGet();
                    e.tensors.put(key, stored);
                }
            }
            NDArray alias = stored.stopGradient();
            alias.attach(manager);
            return alias;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (leaseClosed) {
                    return;
                }
                leaseClosed = true;
            }
            for (Entry e : used.values()) {
                if (released.add(e)) {
                    releaseUse(e);
                }
            }
        }
    }
}
