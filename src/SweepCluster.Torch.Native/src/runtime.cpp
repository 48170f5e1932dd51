// Library, runtime settings, devices and generators.
#include "internal.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <cstring>
#include <malloc.h>

#ifdef ST_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDACachingAllocator.h>
#endif

namespace sweeptorch {

at::ScalarType to_scalar_type(int32_t dtype) {
  switch (dtype) {
    case ST_FLOAT32: return at::kFloat;
    case ST_INT64: return at::kLong;
    case ST_FLOAT64: return at::kDouble;
    case ST_BOOL: return at::kBool;
    case ST_UINT8: return at::kByte;
    default: throw std::invalid_argument("unknown dtype code " + std::to_string(dtype));
  }
}

int32_t from_scalar_type(at::ScalarType type) {
  switch (type) {
    case at::kFloat: return ST_FLOAT32;
    case at::kLong: return ST_INT64;
    case at::kDouble: return ST_FLOAT64;
    case at::kBool: return ST_BOOL;
    case at::kByte: return ST_UINT8;
    default: return -1;
  }
}

at::Device to_device(int32_t device_type, int32_t device_index) {
  switch (device_type) {
    case ST_DEVICE_CPU: return at::Device(at::kCPU);
    case ST_DEVICE_CUDA: return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(device_index));
    default: throw std::invalid_argument("unknown device type " + std::to_string(device_type));
  }
}

}  // namespace sweeptorch

using namespace sweeptorch;

namespace {

// A training step allocates many activation-sized blocks and frees them together when its dispose scope
// ends. With glibc's defaults, blocks of a few MiB are mmap'ed and unmapped every step, and every step pays
// for zeroing fresh pages again. Serving them from the heap and not trimming it lets each step reuse the
// last step's memory (the peak is reached in the first steps and then stays flat).
__attribute__((constructor)) void tune_allocator() {
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
}

}  // namespace

extern "C" {

int32_t st_abi_version(void) { return ST_ABI_VERSION; }

const char* st_libtorch_version(void) { return TORCH_VERSION; }

const char* st_status_message(const st_status* status) { return status == nullptr ? "" : status->message.c_str(); }

void st_status_free(st_status* status) { delete status; }

st_status* st_manual_seed(uint64_t seed) {
  ST_TRY
  at::manual_seed(seed);
  ST_CATCH
}

st_status* st_set_num_threads(int32_t threads) {
  ST_TRY
  if (threads < 1) {
    throw std::invalid_argument("thread count must be at least 1, got " + std::to_string(threads));
  }
  at::set_num_threads(threads);
  ST_CATCH
}

int32_t st_get_num_threads(void) { return at::get_num_threads(); }

st_status* st_set_deterministic(int32_t enabled) {
  ST_TRY
  at::globalContext().setDeterministicAlgorithms(enabled != 0, /*warn_only=*/true);
  at::globalContext().setDeterministicCuDNN(enabled != 0);
  at::globalContext().setBenchmarkCuDNN(enabled == 0);
  ST_CATCH
}

int32_t st_grad_enabled(void) { return c10::GradMode::is_enabled() ? 1 : 0; }

void st_set_grad_enabled(int32_t enabled) { c10::GradMode::set_enabled(enabled != 0); }

int32_t st_cuda_is_available(void) {
  try {
    return torch::cuda::is_available() ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

int32_t st_cuda_device_count(void) {
  try {
    return static_cast<int32_t>(torch::cuda::device_count());
  } catch (...) {
    return 0;
  }
}

st_status* st_cuda_device_info(int32_t index, char* name, int32_t name_capacity, int64_t* total_memory,
                               int64_t* allocated_memory) {
  ST_TRY
#ifdef ST_WITH_CUDA
  if (index < 0 || index >= static_cast<int32_t>(torch::cuda::device_count())) {
    throw std::out_of_range("CUDA device index " + std::to_string(index) + " out of range");
  }
  const cudaDeviceProp* props = at::cuda::getDeviceProperties(index);
  if (name != nullptr && name_capacity > 0) {
    std::strncpy(name, props->name, static_cast<size_t>(name_capacity - 1));
    name[name_capacity - 1] = '\0';
  }
  *total_memory = static_cast<int64_t>(props->totalGlobalMem);
  auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(index);
  *allocated_memory = stats.allocated_bytes[0].current;
#else
  (void)name;
  (void)name_capacity;
  (void)total_memory;
  (void)allocated_memory;
  throw std::runtime_error("CUDA device " + std::to_string(index) +
                           " requested, but libsweeptorch was built against a CPU-only libtorch");
#endif
  ST_CATCH
}

st_status* st_cuda_synchronize(int32_t index) {
  ST_TRY
#ifdef ST_WITH_CUDA
  torch::cuda::synchronize(index);
#else
  (void)index;
#endif
  ST_CATCH
}

st_status* st_generator_new(uint64_t seed, st_generator** out) {
  ST_TRY
  *out = new st_generator{at::make_generator<at::CPUGeneratorImpl>(seed)};
  ST_CATCH
}

void st_generator_free(st_generator* gen) { delete gen; }

st_status* st_generator_get_state(st_generator* gen, st_tensor** out) {
  ST_TRY
  at::Generator g = gen == nullptr ? at::detail::getDefaultCPUGenerator() : gen->value;
  std::lock_guard<std::mutex> lock(g.mutex());
  ST_OUT(out, g.get_state());
  ST_CATCH
}

st_status* st_generator_set_state(st_generator* gen, const st_tensor* state) {
  ST_TRY
  at::Generator g = gen == nullptr ? at::detail::getDefaultCPUGenerator() : gen->value;
  std::lock_guard<std::mutex> lock(g.mutex());
  g.set_state(unwrap(state));
  ST_CATCH
}

}  // extern "C"
