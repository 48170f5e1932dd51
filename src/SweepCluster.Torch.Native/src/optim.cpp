// Optimizers: libtorch's own Adam, AdamW and SGD, which follow PyTorch's update rules.
#include "internal.h"

#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>

#include <memory>

using namespace sweeptorch;

struct st_optimizer {
  int32_t kind;
  std::vector<at::Tensor> params;
  std::unique_ptr<torch::optim::Optimizer> value;
};

namespace {

void check_index(const st_optimizer* opt, int32_t index) {
  if (index < 0 || static_cast<size_t>(index) >= opt->params.size()) {
    throw std::out_of_range("parameter index " + std::to_string(index) + " out of range (optimizer has " +
                            std::to_string(opt->params.size()) + " parameters)");
  }
}

template <typename State>
void get_adam_state(const st_optimizer* opt, const std::string& key, int64_t* step, st_tensor** s1, st_tensor** s2) {
  auto& states = opt->value->state();
  auto it = states.find(key);
  if (it == states.end()) {
    return;
  }
  auto& s = static_cast<State&>(*it->second);
  *step = s.step();
  *s1 = wrap(s.exp_avg());
  *s2 = wrap(s.exp_avg_sq());
}

template <typename State>
void set_adam_state(st_optimizer* opt, const std::string& key, int64_t step, const st_tensor* s1, const st_tensor* s2) {
  auto state = std::make_unique<State>();
  state->step(step);
  state->exp_avg(unwrap(s1).detach().clone());
  state->exp_avg_sq(unwrap(s2).detach().clone());
  opt->value->state()[key] = std::move(state);
}

}  // namespace

extern "C" {

st_status* st_optimizer_new(int32_t kind, st_tensor* const* params, int32_t count, double lr, double a, double b,
                            double eps, double weight_decay, int32_t flag, st_optimizer** out) {
  ST_TRY
  std::vector<at::Tensor> list;
  list.reserve(static_cast<size_t>(count));
  for (int32_t i = 0; i < count; ++i) {
    list.push_back(unwrap(params[i]));
  }
  std::unique_ptr<torch::optim::Optimizer> opt;
  switch (kind) {
    case ST_OPTIM_ADAM:
      opt = std::make_unique<torch::optim::Adam>(
          list, torch::optim::AdamOptions(lr).betas({a, b}).eps(eps).weight_decay(weight_decay).amsgrad(flag != 0));
      break;
    case ST_OPTIM_ADAMW:
      opt = std::make_unique<torch::optim::AdamW>(
          list, torch::optim::AdamWOptions(lr).betas({a, b}).eps(eps).weight_decay(weight_decay).amsgrad(flag != 0));
      break;
    case ST_OPTIM_SGD:
      opt = std::make_unique<torch::optim::SGD>(
          list,
          torch::optim::SGDOptions(lr).momentum(a).dampening(b).weight_decay(weight_decay).nesterov(flag != 0));
      break;
    default: throw std::invalid_argument("unknown optimizer kind " + std::to_string(kind));
  }
  *out = new st_optimizer{kind, std::move(list), std::move(opt)};
  ST_CATCH
}

void st_optimizer_free(st_optimizer* opt) { delete opt; }

st_status* st_optimizer_step(st_optimizer* opt) {
  ST_TRY
  opt->value->step();
  ST_CATCH
}

st_status* st_optimizer_zero_grad(st_optimizer* opt, int32_t set_to_none) {
  ST_TRY
  for (auto& p : opt->params) {
    auto& g = p.mutable_grad();
    if (!g.defined()) {
      continue;
    }
    if (set_to_none != 0) {
      g.reset();
    } else {
      g.detach_();
      g.zero_();
    }
  }
  ST_CATCH
}

st_status* st_optimizer_set_lr(st_optimizer* opt, double lr) {
  ST_TRY
  for (auto& group : opt->value->param_groups()) {
    group.options().set_lr(lr);
  }
  ST_CATCH
}

double st_optimizer_get_lr(const st_optimizer* opt) { return opt->value->param_groups().at(0).options().get_lr(); }

st_status* st_optimizer_get_state(const st_optimizer* opt, int32_t param_index, int64_t* step, st_tensor** s1,
                                  st_tensor** s2) {
  ST_TRY
  check_index(opt, param_index);
  *step = -1;
  *s1 = nullptr;
  *s2 = nullptr;
  // libtorch keys optimizer state by the parameter's TensorImpl address, as text.
  const std::string key = c10::guts::to_string(opt->params[static_cast<size_t>(param_index)].unsafeGetTensorImpl());
  switch (opt->kind) {
    case ST_OPTIM_ADAM: get_adam_state<torch::optim::AdamParamState>(opt, key, step, s1, s2); break;
    case ST_OPTIM_ADAMW: get_adam_state<torch::optim::AdamWParamState>(opt, key, step, s1, s2); break;
    case ST_OPTIM_SGD: {
      auto& states = opt->value->state();
      auto it = states.find(key);
      if (it != states.end()) {
        *step = 0;
        *s1 = wrap(static_cast<torch::optim::SGDParamState&>(*it->second).momentum_buffer());
      }
      break;
    }
    default: throw std::invalid_argument("unknown optimizer kind");
  }
  ST_CATCH
}

st_status* st_optimizer_set_state(st_optimizer* opt, int32_t param_index, int64_t step, const st_tensor* s1,
                                  const st_tensor* s2) {
  ST_TRY
  check_index(opt, param_index);
  // libtorch keys optimizer state by the parameter's TensorImpl address, as text.
  const std::string key = c10::guts::to_string(opt->params[static_cast<size_t>(param_index)].unsafeGetTensorImpl());
  switch (opt->kind) {
    case ST_OPTIM_ADAM: set_adam_state<torch::optim::AdamParamState>(opt, key, step, s1, s2); break;
    case ST_OPTIM_ADAMW: set_adam_state<torch::optim::AdamWParamState>(opt, key, step, s1, s2); break;
    case ST_OPTIM_SGD: {
      auto state = std::make_unique<torch::optim::SGDParamState>();
      state->momentum_buffer(unwrap(s1).detach().clone());
      opt->value->state()[key] = std::move(state);
      break;
    }
    default: throw std::invalid_argument("unknown optimizer kind");
  }
  ST_CATCH
}

}  // extern "C"
