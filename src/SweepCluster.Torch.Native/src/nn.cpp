// Neural-network functions, losses, autograd and initialisation.
#include "internal.h"

#include <c10/core/GradMode.h>

#include <cmath>

using namespace sweeptorch;

namespace {

int64_t reduction(int32_t r) {
  switch (r) {
    case ST_REDUCTION_NONE: return at::Reduction::None;
    case ST_REDUCTION_MEAN: return at::Reduction::Mean;
    case ST_REDUCTION_SUM: return at::Reduction::Sum;
    default: throw std::invalid_argument("unknown reduction " + std::to_string(r));
  }
}

std::pair<double, double> fans(const at::Tensor& t) {
  if (t.dim() < 2) {
    throw std::invalid_argument("fan in and fan out need a tensor with at least 2 dimensions, got " +
                                std::to_string(t.dim()));
  }
  double receptive = 1.0;
  for (int64_t d = 2; d < t.dim(); ++d) {
    receptive *= static_cast<double>(t.size(d));
  }
  return {static_cast<double>(t.size(1)) * receptive, static_cast<double>(t.size(0)) * receptive};
}

}  // namespace

extern "C" {

st_status* st_conv2d(const st_tensor* x, const st_tensor* w, const st_tensor* b, const int64_t* stride,
                     const int64_t* padding, const int64_t* dilation, int64_t groups, st_tensor** out) {
  ST_TRY
  ST_OUT(out, at::conv2d(unwrap(x), unwrap(w), optional(b), dims(stride, 2), dims(padding, 2), dims(dilation, 2),
                         groups));
  ST_CATCH
}

st_status* st_conv_transpose2d(const st_tensor* x, const st_tensor* w, const st_tensor* b, const int64_t* stride,
                               const int64_t* padding, const int64_t* output_padding, const int64_t* dilation,
                               int64_t groups, st_tensor** out) {
  ST_TRY
  ST_OUT(out, at::conv_transpose2d(unwrap(x), unwrap(w), optional(b), dims(stride, 2), dims(padding, 2),
                                   dims(output_padding, 2), groups, dims(dilation, 2)));
  ST_CATCH
}

st_status* st_pool2d(int32_t kind, const st_tensor* x, const int64_t* kernel, const int64_t* stride,
                     const int64_t* padding, int32_t ceil_mode, st_tensor** out) {
  ST_TRY
  const int64_t one[2] = {1, 1};
  if (kind == 0) {
    ST_OUT(out, at::max_pool2d(unwrap(x), dims(kernel, 2), dims(stride, 2), dims(padding, 2), dims(one, 2),
                               ceil_mode != 0));
  } else {
    ST_OUT(out, at::avg_pool2d(unwrap(x), dims(kernel, 2), dims(stride, 2), dims(padding, 2), ceil_mode != 0,
                               /*count_include_pad=*/true));
  }
  ST_CATCH
}

st_status* st_interpolate(const st_tensor* x, int32_t mode, const int64_t* size, const double* scale,
                          int32_t align_corners, st_tensor** out) {
  ST_TRY
  const auto& input = unwrap(x);
  if (input.dim() != 4) {
    throw std::invalid_argument("interpolate expects a 4-D (N, C, H, W) input, got " + std::to_string(input.dim()) +
                                " dimensions");
  }
  std::vector<int64_t> out_size(2);
  c10::optional<double> sh;
  c10::optional<double> sw;
  if (size != nullptr) {
    out_size = {size[0], size[1]};
  } else {
    if (scale == nullptr) {
      throw std::invalid_argument("interpolate needs either a size or scale factors");
    }
    out_size = {static_cast<int64_t>(std::floor(static_cast<double>(input.size(2)) * scale[0])),
                static_cast<int64_t>(std::floor(static_cast<double>(input.size(3)) * scale[1]))};
    sh = scale[0];
    sw = scale[1];
  }
  if (mode == ST_INTERP_NEAREST) {
    ST_OUT(out, at::upsample_nearest2d(input, out_size, sh, sw));
  } else if (mode == ST_INTERP_BILINEAR) {
    ST_OUT(out, at::upsample_bilinear2d(input, out_size, align_corners == 1, sh, sw));
  } else {
    throw std::invalid_argument("unknown interpolation mode " + std::to_string(mode));
  }
  ST_CATCH
}

st_status* st_group_norm(const st_tensor* x, int64_t groups, const st_tensor* w, const st_tensor* b, double eps,
                         st_tensor** out) {
  ST_TRY
  ST_OUT(out, at::group_norm(unwrap(x), groups, optional(w), optional(b), eps, /*cudnn_enabled=*/true));
  ST_CATCH
}

st_status* st_batch_norm(const st_tensor* x, const st_tensor* w, const st_tensor* b, st_tensor* running_mean,
                         st_tensor* running_var, int32_t training, double momentum, double eps, st_tensor** out) {
  ST_TRY
  ST_OUT(out, at::batch_norm(unwrap(x), optional(w), optional(b), optional(running_mean), optional(running_var),
                             training != 0, momentum, eps, /*cudnn_enabled=*/true));
  ST_CATCH
}

st_status* st_linear(const st_tensor* x, const st_tensor* w, const st_tensor* b, st_tensor** out) {
  ST_TRY
  ST_OUT(out, at::linear(unwrap(x), unwrap(w), optional(b)));
  ST_CATCH
}

st_status* st_leaky_relu(const st_tensor* x, double slope, st_tensor** out) {
  ST_TRY
  ST_OUT(out, at::leaky_relu(unwrap(x), slope));
  ST_CATCH
}

st_status* st_dropout(const st_tensor* x, double p, int32_t training, st_tensor** out) {
  ST_TRY
  ST_OUT(out, at::dropout(unwrap(x), p, training != 0));
  ST_CATCH
}

st_status* st_loss(int32_t kind, const st_tensor* input, const st_tensor* target, int32_t red, st_tensor** out) {
  ST_TRY
  const auto& x = unwrap(input);
  const auto& y = unwrap(target);
  switch (kind) {
    case 0: ST_OUT(out, at::l1_loss(x, y, reduction(red))); break;
    case 1: ST_OUT(out, at::mse_loss(x, y, reduction(red))); break;
    case 2: ST_OUT(out, at::binary_cross_entropy_with_logits(x, y, c10::nullopt, c10::nullopt, reduction(red))); break;
    default: throw std::invalid_argument("unknown loss kind " + std::to_string(kind));
  }
  ST_CATCH
}

st_status* st_backward(const st_tensor* t, const st_tensor* grad, int32_t retain_graph) {
  ST_TRY
  c10::optional<bool> retain;
  if (retain_graph != 0) {
    retain = true;
  }
  unwrap(t).backward(grad == nullptr ? at::Tensor() : grad->value, retain, /*create_graph=*/false);
  ST_CATCH
}

st_status* st_tensor_grad(const st_tensor* t, st_tensor** out) {
  ST_TRY
  ST_OUT(out, unwrap(t).grad());
  ST_CATCH
}

st_status* st_tensor_zero_grad(st_tensor* t, int32_t set_to_none) {
  ST_TRY
  auto& x = t->value;
  if (!x.grad().defined()) {
    return nullptr;
  }
  if (set_to_none != 0) {
    x.mutable_grad().reset();
  } else {
    x.mutable_grad().detach_();
    x.mutable_grad().zero_();
  }
  ST_CATCH
}

st_status* st_tensor_set_grad(st_tensor* t, const st_tensor* grad) {
  ST_TRY
  t->value.mutable_grad() = grad == nullptr ? at::Tensor() : grad->value.detach().clone();
  ST_CATCH
}

st_status* st_init(st_tensor* t, int32_t kind, double a, double b, st_generator* gen) {
  ST_TRY
  c10::NoGradGuard guard;
  auto& x = unwrap(t);
  c10::optional<at::Generator> g;
  if (gen != nullptr) {
    g = gen->value;
  }
  switch (kind) {
    case ST_INIT_ZEROS: x.zero_(); break;
    case ST_INIT_ONES: x.fill_(1.0); break;
    case ST_INIT_CONSTANT: x.fill_(a); break;
    case ST_INIT_UNIFORM: x.uniform_(a, b, g); break;
    case ST_INIT_NORMAL: x.normal_(a, b, g); break;
    case ST_INIT_KAIMING_UNIFORM:
    case ST_INIT_KAIMING_NORMAL: {
      // a: negative slope of the following leaky ReLU (0 for ReLU); b: 0 = fan_in, 1 = fan_out.
      const auto f = fans(x);
      const double fan = b == 0.0 ? f.first : f.second;
      const double std = std::sqrt(2.0 / (1.0 + a * a)) / std::sqrt(fan);
      if (kind == ST_INIT_KAIMING_UNIFORM) {
        const double bound = std::sqrt(3.0) * std;
        x.uniform_(-bound, bound, g);
      } else {
        x.normal_(0.0, std, g);
      }
      break;
    }
    case ST_INIT_XAVIER_UNIFORM:
    case ST_INIT_XAVIER_NORMAL: {
      // a: gain.
      const auto f = fans(x);
      const double std = a * std::sqrt(2.0 / (f.first + f.second));
      if (kind == ST_INIT_XAVIER_UNIFORM) {
        const double bound = std::sqrt(3.0) * std;
        x.uniform_(-bound, bound, g);
      } else {
        x.normal_(0.0, std, g);
      }
      break;
    }
    default: throw std::invalid_argument("unknown init kind " + std::to_string(kind));
  }
  ST_CATCH
}

st_status* st_clip_grad_norm(st_tensor* const* params, int32_t count, double max_norm, double norm_type,
                             double* total_norm) {
  ST_TRY
  // Same arithmetic as torch.nn.utils.clip_grad_norm_: one norm over the per-parameter norms.
  c10::NoGradGuard guard;
  std::vector<at::Tensor> grads;
  for (int32_t i = 0; i < count; ++i) {
    const auto& g = unwrap(params[i]).grad();
    if (g.defined()) {
      grads.push_back(g);
    }
  }
  if (grads.empty()) {
    *total_norm = 0.0;
    return nullptr;
  }
  std::vector<at::Tensor> norms;
  norms.reserve(grads.size());
  for (const auto& g : grads) {
    norms.push_back(at::linalg_vector_norm(g, norm_type));
  }
  at::Tensor total = at::linalg_vector_norm(at::stack(norms), norm_type);
  at::Tensor coef = (max_norm / (total + 1e-6)).clamp_max(1.0);
  for (auto& g : grads) {
    g.mul_(coef.to(g.device()));
  }
  *total_norm = total.item<double>();
  ST_CATCH
}

}  // extern "C"
