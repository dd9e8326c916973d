// PyTorch CUDA caching-allocator statistics for `vidrd bench` (BenchCommand.CudaAllocatorStats):
// what torch.cuda.max_memory_allocated / memory_reserved report in Python, which DJL 0.35.1 does
// not expose. Built on the GPU machine against the libtorch the engine loads (bench/README-style
// command in bench/RESULTS.md); the bench works without it and then reports nvidia-smi only.
#include <jni.h>
#include <c10/cuda/CUDACachingAllocator.h>

namespace alloc = c10::cuda::CUDACachingAllocator;

extern "C" JNIEXPORT jlongArray JNICALL
Java_io_vidrd_launcher_BenchCommand_00024CudaAllocatorStats_stats(JNIEnv* env, jclass, jint device) {
  jlong v[4] = {0, 0, 0, 0};
  try {
    auto s = alloc::get()->getDeviceStats(static_cast<c10::DeviceIndex>(device));
    // index 0 is StatType::AGGREGATE (all pools)
    v[0] = s.allocated_bytes[0].current;
    v[1] = s.allocated_bytes[0].peak;
    v[2] = s.reserved_bytes[0].current;
    v[3] = s.reserved_bytes[0].peak;
  } catch (const std::exception&) {
    v[0] = v[1] = v[2] = v[3] = -1;
  }
  jlongArray out = env->NewLongArray(4);
  env->SetLongArrayRegion(out, 0, 4, v);
  return out;
}

extern "C" JNIEXPORT void JNICALL
Java_io_vidrd_launcher_BenchCommand_00024CudaAllocatorStats_resetPeak(JNIEnv*, jclass, jint device) {
  try {
    alloc::get()->resetPeakStats(static_cast<c10::DeviceIndex>(device));
  } catch (const std::exception&) {
  }
}

// The same counters for the bench module's diagnostics (io.vidrd.bench.CudaAllocStats).
extern "C" JNIEXPORT jlongArray JNICALL
Java_io_vidrd_bench_CudaAllocStats_stats(JNIEnv* env, jclass c, jint device) {
  return Java_io_vidrd_launcher_BenchCommand_00024CudaAllocatorStats_stats(env, c, device);
}

extern "C" JNIEXPORT void JNICALL
Java_io_vidrd_bench_CudaAllocStats_resetPeak(JNIEnv* env, jclass c, jint device) {
  Java_io_vidrd_launcher_BenchCommand_00024CudaAllocatorStats_resetPeak(env, c, device);
}
