// Tensor creation, data transfer, metadata, shape and elementwise math.
#include "internal.h"

#include <c10/core/GradMode.h>

#include <cstring>

using namespace sweeptorch;

namespace {

at::TensorOptions options(int32_t dtype, int32_t device_type, int32_t device_index) {
  return at::TensorOptions().dtype(to_scalar_type(dtype)).device(to_device(device_type, device_index));
}

}  // namespace

extern "C" {

void st_tensor_free(st_tensor* t) { delete t; }

st_status* st_tensor_from_data(const void* data, int32_t dtype, const int64_t* shape, int32_t ndim, st_tensor** out) {
  ST_TRY
  auto t = at::empty(dims(shape, ndim), at::TensorOptions().dtype(to_scalar_type(dtype)));
  const auto bytes = static_cast<size_t>(t.numel()) * t.element_size();
  if (bytes > 0) {
    if (data == nullptr) {
      throw std::invalid_argument("data pointer is null");
    }
    std::memcpy(t.data_ptr(), data, bytes);
  }
  ST_OUT(out, t);
  ST_CATCH
}

st_status* st_tensor_copy_to(const st_tensor* t, void* dst, int64_t dst_bytes) {
  ST_TRY
  auto src = unwrap(t).detach().to(at::kCPU).contiguous();
  const auto bytes = static_cast<int64_t>(src.numel()) * static_cast<int64_t>(src.element_size());
  if (bytes != dst_bytes) {
    throw std::invalid_argument("destination holds " + std::to_string(dst_bytes) + " bytes but the tensor has " +
                                std::to_string(bytes));
  }
  if (bytes > 0) {
    std::memcpy(dst, src.data_ptr(), static_cast<size_t>(bytes));
  }
  ST_CATCH
}

st_status* st_tensor_full(const int64_t* shape, int32_t ndim, double value, int32_t dtype, int32_t device_type,
                          int32_t device_index, st_tensor** out) {
  ST_TRY
  ST_OUT(out, at::full(dims(shape, ndim), value, options(dtype, device_type, device_index)));
  ST_CATCH
}

st_status* st_tensor_random(const int64_t* shape, int32_t ndim, int32_t kind, st_generator* gen, int32_t dtype,
                            int32_t device_type, int32_t device_index, st_tensor** out) {
  ST_TRY
  c10::optional<at::Generator> g;
  if (gen != nullptr) {
    g = gen->value;
  }
  auto opts = options(dtype, ST_DEVICE_CPU, 0);
  // Sample on the CPU so that one seed gives the same numbers on every device.
  at::Tensor t = kind == 0 ? at::rand(dims(shape, ndim), g, opts) : at::randn(dims(shape, ndim), g, opts);
  if (device_type != ST_DEVICE_CPU) {
    t = t.to(to_device(device_type, device_index));
  }
  ST_OUT(out, t);
  ST_CATCH
}

st_status* st_tensor_arange(double start, double end, double step, int32_t dtype, st_tensor** out) {
  ST_TRY
  ST_OUT(out, at::arange(start, end, step, at::TensorOptions().dtype(to_scalar_type(dtype))));
  ST_CATCH
}

int32_t st_tensor_ndim(const st_tensor* t) { return static_cast<int32_t>(t->value.dim()); }

void st_tensor_shape(const st_tensor* t, int64_t* shape) {
  const auto sizes = t->value.sizes();
  for (size_t i = 0; i < sizes.size(); ++i) {
    shape[i] = sizes[i];
  }
}

int32_t st_tensor_dtype(const st_tensor* t) { return from_scalar_type(t->value.scalar_type()); }

void st_tensor_device(const st_tensor* t, int32_t* device_type, int32_t* device_index) {
  const auto device = t->value.device();
  *device_type = device.is_cuda() ? ST_DEVICE_CUDA : ST_DEVICE_CPU;
  *device_index = device.has_index() ? device.index() : 0;
}

int64_t st_tensor_numel(const st_tensor* t) { return t->value.numel(); }

int32_t st_tensor_requires_grad(const st_tensor* t) { return t->value.requires_grad() ? 1 : 0; }

st_status* st_tensor_set_requires_grad(st_tensor* t, int32_t requires_grad) {
  ST_TRY
  unwrap(t).set_requires_grad(requires_grad != 0);
  ST_CATCH
}

int32_t st_tensor_is_leaf(const st_tensor* t) { return t->value.is_leaf() ? 1 : 0; }

st_status* st_tensor_item(const st_tensor* t, double* out) {
  ST_TRY
  *out = unwrap(t).item<double>();
  ST_CATCH
}

st_status* st_tensor_reshape(const st_tensor* t, const int64_t* shape, int32_t ndim, int32_t view, st_tensor** out) {
  ST_TRY
  ST_OUT(out, view != 0 ? unwrap(t).view(dims(shape, ndim)) : unwrap(t).reshape(dims(shape, ndim)));
  ST_CATCH
}

st_status* st_tensor_permute(const st_tensor* t, const int64_t* order, int32_t ndim, st_tensor** out) {
  ST_TRY
  ST_OUT(out, unwrap(t).permute(dims(order, ndim)));
  ST_CATCH
}

st_status* st_tensor_transpose(const st_tensor* t, int64_t dim0, int64_t dim1, st_tensor** out) {
  ST_TRY
  ST_OUT(out, unwrap(t).transpose(dim0, dim1));
  ST_CATCH
}

st_status* st_tensor_slice(const st_tensor* t, int64_t dim, int64_t start, int64_t end, int64_t step, st_tensor** out) {
  ST_TRY
  ST_OUT(out, unwrap(t).slice(dim, start, end, step));
  ST_CATCH
}

st_status* st_tensor_select(const st_tensor* t, int64_t dim, int64_t index, st_tensor** out) {
  ST_TRY
  ST_OUT(out, unwrap(t).select(dim, index));
  ST_CATCH
}

st_status* st_tensor_squeeze(const st_tensor* t, int64_t dim, st_tensor** out) {
  ST_TRY
  ST_OUT(out, unwrap(t).squeeze(dim));
  ST_CATCH
}

st_status* st_tensor_unsqueeze(const st_tensor* t, int64_t dim, st_tensor** out) {
  ST_TRY
  ST_OUT(out, unwrap(t).unsqueeze(dim));
  ST_CATCH
}

st_status* st_tensor_expand(const st_tensor* t, const int64_t* shape, int32_t ndim, st_tensor** out) {
  ST_TRY
  ST_OUT(out, unwrap(t).expand(dims(shape, ndim)));
  ST_CATCH
}

st_status* st_tensor_flip(const st_tensor* t, const int64_t* order, int32_t ndim, st_tensor** out) {
  ST_TRY
  ST_OUT(out, unwrap(t).flip(dims(order, ndim)));
  ST_CATCH
}

st_status* st_tensor_join(st_tensor* const* tensors, int32_t count, int64_t dim, int32_t kind, st_tensor** out) {
  ST_TRY
  std::vector<at::Tensor> list;
  list.reserve(static_cast<size_t>(count));
  for (int32_t i = 0; i < count; ++i) {
    list.push_back(unwrap(tensors[i]));
  }
  ST_OUT(out, kind == 0 ? at::cat(list, dim) : at::stack(list, dim));
  ST_CATCH
}

st_status* st_tensor_pad(const st_tensor* t, const int64_t* pad, int32_t npad, int32_t mode, double value,
                         st_tensor** out) {
  ST_TRY
  const auto& x = unwrap(t);
  const auto p = dims(pad, npad);
  at::Tensor r;
  switch (mode) {
    case ST_PAD_CONSTANT: r = at::constant_pad_nd(x, p, value); break;
    case ST_PAD_REFLECT: r = at::pad(x, p, "reflect"); break;
    case ST_PAD_REPLICATE: r = at::pad(x, p, "replicate"); break;
    case ST_PAD_CIRCULAR: r = at::pad(x, p, "circular"); break;
    default: throw std::invalid_argument("unknown pad mode " + std::to_string(mode));
  }
  ST_OUT(out, r);
  ST_CATCH
}

st_status* st_tensor_to(const st_tensor* t, int32_t device_type, int32_t device_index, int32_t dtype,
                        st_tensor** out) {
  ST_TRY
  const auto& x = unwrap(t);
  const auto type = dtype < 0 ? x.scalar_type() : to_scalar_type(dtype);
  ST_OUT(out, x.to(to_device(device_type, device_index), type));
  ST_CATCH
}

st_status* st_unary(int32_t op, const st_tensor* a, st_tensor** out) {
  ST_TRY
  const auto& x = unwrap(a);
  at::Tensor r;
  switch (op) {
    case ST_ABS: r = x.abs(); break;
    case ST_SQRT: r = x.sqrt(); break;
    case ST_EXP: r = x.exp(); break;
    case ST_LOG: r = x.log(); break;
    case ST_NEG: r = x.neg(); break;
    case ST_RELU: r = x.relu(); break;
    case ST_SIGMOID: r = x.sigmoid(); break;
    case ST_TANH: r = x.tanh(); break;
    case ST_CLONE: r = x.clone(); break;
    case ST_DETACH: r = x.detach(); break;
    case ST_CONTIGUOUS: r = x.contiguous(); break;
    case ST_SIGN: r = x.sign(); break;
    case ST_SQUARE: r = x.square(); break;
    case ST_FLOOR: r = x.floor(); break;
    case ST_ROUND: r = x.round(); break;
    case ST_RSQRT: r = x.rsqrt(); break;
    default: throw std::invalid_argument("unknown unary op " + std::to_string(op));
  }
  ST_OUT(out, r);
  ST_CATCH
}

st_status* st_binary(int32_t op, const st_tensor* a, const st_tensor* b, st_tensor** out) {
  ST_TRY
  const auto& x = unwrap(a);
  const auto& y = unwrap(b);
  at::Tensor r;
  switch (op) {
    case ST_ADD: r = x + y; break;
    case ST_SUB: r = x - y; break;
    case ST_MUL: r = x * y; break;
    case ST_DIV: r = x / y; break;
    case ST_POW: r = x.pow(y); break;
    case ST_MAXIMUM: r = at::maximum(x, y); break;
    case ST_MINIMUM: r = at::minimum(x, y); break;
    case ST_MATMUL: r = at::matmul(x, y); break;
    case ST_EQ: r = x.eq(y); break;
    case ST_GT: r = x.gt(y); break;
    case ST_LT: r = x.lt(y); break;
    default: throw std::invalid_argument("unknown binary op " + std::to_string(op));
  }
  ST_OUT(out, r);
  ST_CATCH
}

st_status* st_scalar(int32_t op, const st_tensor* a, double s, st_tensor** out) {
  ST_TRY
  const auto& x = unwrap(a);
  at::Tensor r;
  switch (op) {
    case ST_S_ADD: r = x + s; break;
    case ST_S_SUB: r = x - s; break;
    case ST_S_MUL: r = x * s; break;
    case ST_S_DIV: r = x / s; break;
    case ST_S_POW: r = x.pow(s); break;
    case ST_S_RSUB: r = at::rsub(x, s); break;
    case ST_S_RDIV: r = x.reciprocal() * s; break;
    case ST_S_EQ: r = x.eq(s); break;
    case ST_S_GT: r = x.gt(s); break;
    case ST_S_LT: r = x.lt(s); break;
    default: throw std::invalid_argument("unknown scalar op " + std::to_string(op));
  }
  ST_OUT(out, r);
  ST_CATCH
}

st_status* st_reduce(int32_t op, const st_tensor* a, const int64_t* reduce_dims, int32_t ndims, int32_t keepdim,
                     int32_t unbiased, st_tensor** out) {
  ST_TRY
  const auto& x = unwrap(a);
  const bool all = ndims == 0;
  const auto d = dims(reduce_dims, ndims);
  const bool keep = keepdim != 0;
  at::Tensor r;
  switch (op) {
    case ST_SUM: r = all ? x.sum() : x.sum(d, keep); break;
    case ST_MEAN: r = all ? x.mean() : x.mean(d, keep); break;
    case ST_AMAX: r = all ? x.amax(at::IntArrayRef{}, false) : x.amax(d, keep); break;
    case ST_AMIN: r = all ? x.amin(at::IntArrayRef{}, false) : x.amin(d, keep); break;
    case ST_STD: r = all ? x.std(unbiased != 0) : x.std(d, unbiased != 0, keep); break;
    case ST_VAR: r = all ? x.var(unbiased != 0) : x.var(d, unbiased != 0, keep); break;
    default: throw std::invalid_argument("unknown reduction " + std::to_string(op));
  }
  ST_OUT(out, r);
  ST_CATCH
}

st_status* st_clamp(const st_tensor* a, int32_t has_min, double min, int32_t has_max, double max, st_tensor** out) {
  ST_TRY
  c10::optional<at::Scalar> lo;
  c10::optional<at::Scalar> hi;
  if (has_min != 0) {
    lo = min;
  }
  if (has_max != 0) {
    hi = max;
  }
  ST_OUT(out, at::clamp(unwrap(a), lo, hi));
  ST_CATCH
}

st_status* st_where(const st_tensor* cond, const st_tensor* a, const st_tensor* b, st_tensor** out) {
  ST_TRY
  ST_OUT(out, at::where(unwrap(cond), unwrap(a), unwrap(b)));
  ST_CATCH
}

st_status* st_tensor_copy_(st_tensor* dst, const st_tensor* src) {
  ST_TRY
  c10::NoGradGuard guard;
  unwrap(dst).copy_(unwrap(src));
  ST_CATCH
}

st_status* st_tensor_mul_(st_tensor* t, double s) {
  ST_TRY
  c10::NoGradGuard guard;
  unwrap(t).mul_(s);
  ST_CATCH
}

}  // extern "C"
