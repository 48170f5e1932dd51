/*
 * sweeptorch: a C ABI over libtorch for the SweepCluster C# binding.
 *
 * Conventions
 *  - Every function that can fail returns an st_status*: NULL on success, otherwise
 *    a heap object carrying libtorch's message; the caller frees it with st_status_free.
 *    Results come back through out-parameters. No C++ exception crosses this boundary.
 *  - Handles (st_tensor, st_optimizer, st_generator, st_ivalue) are opaque and owned by
 *    the caller once returned; each has exactly one *_free function.
 *  - A tensor handle returned as NULL through an out-parameter means "undefined tensor"
 *    (for example a gradient that was never computed).
 *  - Shapes are int64 arrays with a separate length. Booleans are int32 0/1.
 */
#ifndef SWEEPTORCH_H
#define SWEEPTORCH_H

#include <stdint.h>
#include <stddef.h>

#if defined(_WIN32)
#define ST_API __declspec(dllexport)
#else
#define ST_API __attribute__((visibility("default")))
#endif

/* Bumped whenever a signature or an enum value below changes. */
#define ST_ABI_VERSION 1

#ifdef __cplusplus
extern "C" {
#endif

typedef struct st_status st_status;
typedef struct st_tensor st_tensor;
typedef struct st_optimizer st_optimizer;
typedef struct st_generator st_generator;
typedef struct st_ivalue st_ivalue;

/* Element types (values match the C# ScalarType enum). */
enum { ST_FLOAT32 = 0, ST_INT64 = 1, ST_FLOAT64 = 2, ST_BOOL = 3, ST_UINT8 = 4 };
/* Device types: device = type * 1000 + index is not used; type and index are separate. */
enum { ST_DEVICE_CPU = 0, ST_DEVICE_CUDA = 1 };

enum st_unary_op {
  ST_ABS = 0, ST_SQRT, ST_EXP, ST_LOG, ST_NEG, ST_RELU, ST_SIGMOID, ST_TANH,
  ST_CLONE, ST_DETACH, ST_CONTIGUOUS, ST_SIGN, ST_SQUARE, ST_FLOOR, ST_ROUND, ST_RSQRT
};
enum st_binary_op {
  ST_ADD = 0, ST_SUB, ST_MUL, ST_DIV, ST_POW, ST_MAXIMUM, ST_MINIMUM, ST_MATMUL,
  ST_EQ, ST_GT, ST_LT
};
enum st_scalar_op {
  ST_S_ADD = 0, ST_S_SUB, ST_S_MUL, ST_S_DIV, ST_S_POW, ST_S_RSUB, ST_S_RDIV,
  ST_S_EQ, ST_S_GT, ST_S_LT
};
enum st_reduce_op { ST_SUM = 0, ST_MEAN, ST_AMAX, ST_AMIN, ST_STD, ST_VAR };
enum st_reduction { ST_REDUCTION_NONE = 0, ST_REDUCTION_MEAN = 1, ST_REDUCTION_SUM = 2 };
enum st_pad_mode { ST_PAD_CONSTANT = 0, ST_PAD_REFLECT, ST_PAD_REPLICATE, ST_PAD_CIRCULAR };
enum st_interp_mode { ST_INTERP_NEAREST = 0, ST_INTERP_BILINEAR = 1 };
enum st_init_kind {
  ST_INIT_ZEROS = 0, ST_INIT_ONES, ST_INIT_CONSTANT, ST_INIT_UNIFORM, ST_INIT_NORMAL,
  ST_INIT_KAIMING_UNIFORM, ST_INIT_KAIMING_NORMAL, ST_INIT_XAVIER_UNIFORM, ST_INIT_XAVIER_NORMAL
};
enum st_optim_kind { ST_OPTIM_ADAM = 0, ST_OPTIM_ADAMW = 1, ST_OPTIM_SGD = 2 };
enum st_ivalue_kind {
  ST_IV_NONE = 0, ST_IV_TENSOR, ST_IV_DOUBLE, ST_IV_INT, ST_IV_BOOL, ST_IV_STRING,
  ST_IV_LIST, ST_IV_TUPLE, ST_IV_DICT, ST_IV_OTHER
};

/* ---- library ---- */
ST_API int32_t st_abi_version(void);
ST_API const char* st_libtorch_version(void);
ST_API const char* st_status_message(const st_status* status);
ST_API void st_status_free(st_status* status);

/* ---- runtime ---- */
ST_API st_status* st_manual_seed(uint64_t seed);
ST_API st_status* st_set_num_threads(int32_t threads);
ST_API int32_t st_get_num_threads(void);
ST_API st_status* st_set_deterministic(int32_t enabled);
ST_API int32_t st_grad_enabled(void);
ST_API void st_set_grad_enabled(int32_t enabled);
ST_API int32_t st_cuda_is_available(void);
ST_API int32_t st_cuda_device_count(void);
/* name: UTF-8 into a caller buffer; total/used memory in bytes (used: this process's caching allocator). */
ST_API st_status* st_cuda_device_info(int32_t index, char* name, int32_t name_capacity,
                                      int64_t* total_memory, int64_t* allocated_memory);
ST_API st_status* st_cuda_synchronize(int32_t index);

/* ---- generators ---- */
ST_API st_status* st_generator_new(uint64_t seed, st_generator** out);
ST_API void st_generator_free(st_generator* gen);
/* gen may be NULL: the default CPU generator. */
ST_API st_status* st_generator_get_state(st_generator* gen, st_tensor** out);
ST_API st_status* st_generator_set_state(st_generator* gen, const st_tensor* state);

/* ---- tensors: creation, data, metadata ---- */
ST_API void st_tensor_free(st_tensor* t);
ST_API st_status* st_tensor_from_data(const void* data, int32_t dtype, const int64_t* shape, int32_t ndim,
                                      st_tensor** out);
ST_API st_status* st_tensor_copy_to(const st_tensor* t, void* dst, int64_t dst_bytes);
ST_API st_status* st_tensor_full(const int64_t* shape, int32_t ndim, double value, int32_t dtype,
                                 int32_t device_type, int32_t device_index, st_tensor** out);
/* kind: 0 = rand (uniform [0,1)), 1 = randn; gen may be NULL (default generator). */
ST_API st_status* st_tensor_random(const int64_t* shape, int32_t ndim, int32_t kind, st_generator* gen,
                                   int32_t dtype, int32_t device_type, int32_t device_index, st_tensor** out);
ST_API st_status* st_tensor_arange(double start, double end, double step, int32_t dtype, st_tensor** out);
ST_API int32_t st_tensor_ndim(const st_tensor* t);
ST_API void st_tensor_shape(const st_tensor* t, int64_t* shape);
ST_API int32_t st_tensor_dtype(const st_tensor* t);
ST_API void st_tensor_device(const st_tensor* t, int32_t* device_type, int32_t* device_index);
ST_API int64_t st_tensor_numel(const st_tensor* t);
ST_API int32_t st_tensor_requires_grad(const st_tensor* t);
ST_API st_status* st_tensor_set_requires_grad(st_tensor* t, int32_t requires_grad);
ST_API int32_t st_tensor_is_leaf(const st_tensor* t);
ST_API st_status* st_tensor_item(const st_tensor* t, double* out);

/* ---- tensors: shape ---- */
ST_API st_status* st_tensor_reshape(const st_tensor* t, const int64_t* shape, int32_t ndim, int32_t view, st_tensor** out);
ST_API st_status* st_tensor_permute(const st_tensor* t, const int64_t* dims, int32_t ndim, st_tensor** out);
ST_API st_status* st_tensor_transpose(const st_tensor* t, int64_t dim0, int64_t dim1, st_tensor** out);
ST_API st_status* st_tensor_slice(const st_tensor* t, int64_t dim, int64_t start, int64_t end, int64_t step, st_tensor** out);
ST_API st_status* st_tensor_select(const st_tensor* t, int64_t dim, int64_t index, st_tensor** out);
ST_API st_status* st_tensor_squeeze(const st_tensor* t, int64_t dim, st_tensor** out);
ST_API st_status* st_tensor_unsqueeze(const st_tensor* t, int64_t dim, st_tensor** out);
ST_API st_status* st_tensor_expand(const st_tensor* t, const int64_t* shape, int32_t ndim, st_tensor** out);
ST_API st_status* st_tensor_flip(const st_tensor* t, const int64_t* dims, int32_t ndim, st_tensor** out);
/* kind: 0 = cat, 1 = stack */
ST_API st_status* st_tensor_join(st_tensor* const* tensors, int32_t count, int64_t dim, int32_t kind, st_tensor** out);
ST_API st_status* st_tensor_pad(const st_tensor* t, const int64_t* pad, int32_t npad, int32_t mode, double value, st_tensor** out);
ST_API st_status* st_tensor_to(const st_tensor* t, int32_t device_type, int32_t device_index, int32_t dtype, st_tensor** out);

/* ---- tensors: math ---- */
ST_API st_status* st_unary(int32_t op, const st_tensor* a, st_tensor** out);
ST_API st_status* st_binary(int32_t op, const st_tensor* a, const st_tensor* b, st_tensor** out);
ST_API st_status* st_scalar(int32_t op, const st_tensor* a, double s, st_tensor** out);
/* dims NULL/ndims 0 reduces everything. unbiased applies to std/var. */
ST_API st_status* st_reduce(int32_t op, const st_tensor* a, const int64_t* dims, int32_t ndims, int32_t keepdim,
                            int32_t unbiased, st_tensor** out);
/* has_min/has_max select which bound applies. */
ST_API st_status* st_clamp(const st_tensor* a, int32_t has_min, double min, int32_t has_max, double max, st_tensor** out);
ST_API st_status* st_where(const st_tensor* cond, const st_tensor* a, const st_tensor* b, st_tensor** out);
/* In place, outside autograd (for initialisation and loading): dst <- src. */
ST_API st_status* st_tensor_copy_(st_tensor* dst, const st_tensor* src);
/* In place: t *= s (used by the optimizer-free code paths and tests). */
ST_API st_status* st_tensor_mul_(st_tensor* t, double s);

/* ---- neural-network functions (bias and weight arguments may be NULL) ---- */
ST_API st_status* st_conv2d(const st_tensor* x, const st_tensor* w, const st_tensor* b, const int64_t* stride,
                            const int64_t* padding, const int64_t* dilation, int64_t groups, st_tensor** out);
ST_API st_status* st_conv_transpose2d(const st_tensor* x, const st_tensor* w, const st_tensor* b, const int64_t* stride,
                                      const int64_t* padding, const int64_t* output_padding, const int64_t* dilation,
                                      int64_t groups, st_tensor** out);
/* kind: 0 = max, 1 = avg */
ST_API st_status* st_pool2d(int32_t kind, const st_tensor* x, const int64_t* kernel, const int64_t* stride,
                            const int64_t* padding, int32_t ceil_mode, st_tensor** out);
/* size NULL: use scale factors. align_corners: -1 = unset. */
ST_API st_status* st_interpolate(const st_tensor* x, int32_t mode, const int64_t* size, const double* scale,
                                 int32_t align_corners, st_tensor** out);
ST_API st_status* st_group_norm(const st_tensor* x, int64_t groups, const st_tensor* w, const st_tensor* b, double eps,
                                st_tensor** out);
ST_API st_status* st_batch_norm(const st_tensor* x, const st_tensor* w, const st_tensor* b, st_tensor* running_mean,
                                st_tensor* running_var, int32_t training, double momentum, double eps, st_tensor** out);
ST_API st_status* st_linear(const st_tensor* x, const st_tensor* w, const st_tensor* b, st_tensor** out);
ST_API st_status* st_leaky_relu(const st_tensor* x, double slope, st_tensor** out);
ST_API st_status* st_dropout(const st_tensor* x, double p, int32_t training, st_tensor** out);
/* kind: 0 = l1, 1 = mse, 2 = binary cross-entropy with logits */
ST_API st_status* st_loss(int32_t kind, const st_tensor* input, const st_tensor* target, int32_t reduction, st_tensor** out);

/* ---- autograd ---- */
ST_API st_status* st_backward(const st_tensor* t, const st_tensor* grad, int32_t retain_graph);
ST_API st_status* st_tensor_grad(const st_tensor* t, st_tensor** out);
/* set_to_none: drop the gradient; else zero it in place. */
ST_API st_status* st_tensor_zero_grad(st_tensor* t, int32_t set_to_none);
ST_API st_status* st_tensor_set_grad(st_tensor* t, const st_tensor* grad);
ST_API st_status* st_init(st_tensor* t, int32_t kind, double a, double b, st_generator* gen);
ST_API st_status* st_clip_grad_norm(st_tensor* const* params, int32_t count, double max_norm, double norm_type,
                                    double* total_norm);

/* ---- optimizers ---- */
/* Adam/AdamW: a = beta1, b = beta2, eps. SGD: a = momentum, b = dampening, eps ignored, nesterov = flag. */
ST_API st_status* st_optimizer_new(int32_t kind, st_tensor* const* params, int32_t count, double lr, double a,
                                   double b, double eps, double weight_decay, int32_t flag, st_optimizer** out);
ST_API void st_optimizer_free(st_optimizer* opt);
ST_API st_status* st_optimizer_step(st_optimizer* opt);
ST_API st_status* st_optimizer_zero_grad(st_optimizer* opt, int32_t set_to_none);
ST_API st_status* st_optimizer_set_lr(st_optimizer* opt, double lr);
ST_API double st_optimizer_get_lr(const st_optimizer* opt);
/* Per-parameter state. Adam/AdamW: step, exp_avg, exp_avg_sq; SGD: momentum_buffer in slot 1. Missing: NULL + step -1. */
ST_API st_status* st_optimizer_get_state(const st_optimizer* opt, int32_t param_index, int64_t* step, st_tensor** s1,
                                         st_tensor** s2);
ST_API st_status* st_optimizer_set_state(st_optimizer* opt, int32_t param_index, int64_t step, const st_tensor* s1,
                                         const st_tensor* s2);

/* ---- generic values for torch.save-compatible files ---- */
ST_API void st_ivalue_free(st_ivalue* v);
ST_API st_status* st_ivalue_none(st_ivalue** out);
ST_API st_status* st_ivalue_from_tensor(const st_tensor* t, st_ivalue** out);
ST_API st_status* st_ivalue_from_double(double v, st_ivalue** out);
ST_API st_status* st_ivalue_from_int(int64_t v, st_ivalue** out);
ST_API st_status* st_ivalue_from_bool(int32_t v, st_ivalue** out);
ST_API st_status* st_ivalue_from_string(const char* utf8, st_ivalue** out);
/* kind: ST_IV_LIST or ST_IV_TUPLE from items (copied). */
ST_API st_status* st_ivalue_sequence(int32_t kind, st_ivalue* const* items, int32_t count, st_ivalue** out);
/* Dict keys are all strings or all ints (a mixed dict is refused). */
ST_API st_status* st_ivalue_dict(st_ivalue* const* keys, st_ivalue* const* values, int32_t count, st_ivalue** out);
ST_API int32_t st_ivalue_kind(const st_ivalue* v);
ST_API st_status* st_ivalue_to_tensor(const st_ivalue* v, st_tensor** out);
ST_API st_status* st_ivalue_to_double(const st_ivalue* v, double* out);
ST_API st_status* st_ivalue_to_int(const st_ivalue* v, int64_t* out);
/* Copies up to capacity bytes (NUL-terminated); *length receives the full UTF-8 length. */
ST_API st_status* st_ivalue_to_string(const st_ivalue* v, char* buffer, int32_t capacity, int32_t* length);
ST_API int32_t st_ivalue_count(const st_ivalue* v);
/* List/tuple item, or dict key/value, at index. */
ST_API st_status* st_ivalue_item(const st_ivalue* v, int32_t index, st_ivalue** out);
ST_API st_status* st_ivalue_dict_key(const st_ivalue* v, int32_t index, st_ivalue** out);
ST_API st_status* st_ivalue_dict_value(const st_ivalue* v, int32_t index, st_ivalue** out);
/* The zip format of torch.save (readable by torch.load) and back. */
ST_API st_status* st_ivalue_save(const st_ivalue* v, const char* path);
ST_API st_status* st_ivalue_load(const char* path, st_ivalue** out);

#ifdef __cplusplus
}
#endif
#endif
