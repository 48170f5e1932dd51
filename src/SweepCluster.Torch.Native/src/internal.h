// Internal helpers shared by the shim's translation units.
#pragma once

#include "sweeptorch.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include <exception>
#include <string>
#include <vector>

struct st_status {
  std::string message;
};

struct st_tensor {
  at::Tensor value;
};

struct st_generator {
  at::Generator value;
};

namespace sweeptorch {

inline st_status* make_status(std::string message) { return new st_status{std::move(message)}; }

inline st_tensor* wrap(at::Tensor t) { return t.defined() ? new st_tensor{std::move(t)} : nullptr; }

inline const at::Tensor& unwrap(const st_tensor* t) {
  if (t == nullptr) {
    throw std::invalid_argument("a required tensor argument is null");
  }
  return t->value;
}

inline c10::optional<at::Tensor> optional(const st_tensor* t) {
  if (t == nullptr) {
    return c10::nullopt;
  }
  return t->value;
}

inline at::IntArrayRef dims(const int64_t* values, int32_t count) {
  return at::IntArrayRef(values, static_cast<size_t>(count));
}

at::ScalarType to_scalar_type(int32_t dtype);
int32_t from_scalar_type(at::ScalarType type);
at::Device to_device(int32_t device_type, int32_t device_index);

}  // namespace sweeptorch

// Every exported function body runs inside ST_TRY { ... } ST_CATCH: no exception crosses the ABI.
#define ST_TRY try {
#define ST_CATCH                                                          \
  return nullptr;                                                         \
  }                                                                       \
  catch (const c10::Error& e) {                                           \
    return sweeptorch::make_status(e.what_without_backtrace());           \
  }                                                                       \
  catch (const std::exception& e) {                                       \
    return sweeptorch::make_status(e.what());                             \
  }                                                                       \
  catch (...) {                                                           \
    return sweeptorch::make_status("unknown native exception in libsweeptorch"); \
  }

#define ST_OUT(out, expr)          \
  if ((out) == nullptr) {          \
    throw std::invalid_argument("output pointer is null"); \
  }                                \
  *(out) = sweeptorch::wrap(expr);
