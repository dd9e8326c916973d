package io.vidrd.runtime.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.checkpoint.Checkpoints;
import io.vidrd.runtime.checkpoint.StateDict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedWeightStoreTest {

    private static final Path CHECKPOINT = Path.of(System.getProperty("vidrd.golden.dir", "../../../shared/golden"))
            .resolve("ModelT2V.safetensors").toAbsolutePath().normalize();

    private static List<NDArray> loadAll(WeightStore.Lease lease, StateDict dict, NDManager manager) throws Exception {
        List<NDArray> out = new ArrayList<>();
        for (var e : dict.tensors().entrySet()) {
            if (e.getValue().type().isFloating()) {
                // a stand-in reader: what matters is whether the store calls it
                out.add(lease.load(dict, e.getKey(), manager, DataType.FLOAT32, m -> m.create(new float[] {1f})));
            }
        }
        return out;
    }

    @Test
    void secondModelReadsNothingAndLastReleaseFreesTheTensors() throws Exception {
        int baseline = NativeMemory.liveArrays();
        try (SharedWeightStore store = new SharedWeightStore(Duration.ZERO);
                StateDict dict = Checkpoints.open(CHECKPOINT)) {
            NDManager first = Torch.newManager(ai.djl.Device.cpu());
            NDManager second = Torch.newManager(ai.djl.Device.cpu());
            WeightStore.Lease a = store.lease();
            List<NDArray> fromA = loadAll(a, dict, first);
            long reads = store.tensorReads();
            assertTrue(reads > 0);
            WeightStore.Lease b = store.lease();
            List<NDArray> fromB = loadAll(b, dict, second);
            assertEquals(reads, store.tensorReads(), "the second lease read from disk");
            assertEquals(1, store.storedFiles());
            // aliases, owned by each model's manager
            assertEquals(first, fromA.get(0).getManager());
            assertEquals(second, fromB.get(0).getManager());
            a.close();
            first.close();
            assertEquals(1, store.storedFiles(), "released while a lease still uses the file");
            assertEquals(1f, fromB.get(0).toFloatArray()[0]);
            b.close();
            second.close();
            assertEquals(0, store.storedFiles());
            assertEquals(baseline, NativeMemory.liveArrays());
        }
    }

    @Test
    void delayedReleaseKeepsTensorsForTheNextLease() throws Exception {
        try (SharedWeightStore store = new SharedWeightStore(Duration.ofSeconds(30));
                StateDict dict = Checkpoints.open(CHECKPOINT)) {
            try (NDManager m = Torch.newManager(ai.djl.Device.cpu()); WeightStore.Lease a = store.lease()) {
                loadAll(a, dict, m);
            }
            long reads = store.tensorReads();
            try (NDManager m = Torch.newManager(ai.djl.Device.cpu()); WeightStore.Lease b = store.lease()) {
                loadAll(b, dict, m);
            }
            assertEquals(reads, store.tensorReads());
            assertEquals(1, store.releaseUnused());
            assertEquals(0, store.storedTensors());
        }
    }
}
