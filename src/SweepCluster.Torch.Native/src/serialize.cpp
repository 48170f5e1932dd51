// Generic values and the torch.save zip format, so files move between this library and PyTorch.
#include "internal.h"

#include <ATen/core/Dict.h>
#include <ATen/core/ivalue.h>
#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/pickle.h>
#include <torch/csrc/jit/serialization/unpickler.h>

#include "pickle_normalize.h"

#include <cstring>
#include <fstream>
#include <iterator>

using namespace sweeptorch;

struct st_ivalue {
  c10::IValue value;
};

namespace {

st_ivalue* make(c10::IValue v) { return new st_ivalue{std::move(v)}; }

const c10::IValue& get(const st_ivalue* v) {
  if (v == nullptr) {
    throw std::invalid_argument("a required value argument is null");
  }
  return v->value;
}

std::vector<std::pair<c10::IValue, c10::IValue>> dict_items(const c10::IValue& v) {
  std::vector<std::pair<c10::IValue, c10::IValue>> items;
  for (const auto& entry : v.toGenericDict()) {
    items.emplace_back(entry.key(), entry.value());
  }
  return items;
}

}  // namespace

extern "C" {

void st_ivalue_free(st_ivalue* v) { delete v; }

st_status* st_ivalue_none(st_ivalue** out) {
  ST_TRY
  *out = make(c10::IValue());
  ST_CATCH
}

st_status* st_ivalue_from_tensor(const st_tensor* t, st_ivalue** out) {
  ST_TRY
  *out = make(c10::IValue(unwrap(t)));
  ST_CATCH
}

st_status* st_ivalue_from_double(double v, st_ivalue** out) {
  ST_TRY
  *out = make(c10::IValue(v));
  ST_CATCH
}

st_status* st_ivalue_from_int(int64_t v, st_ivalue** out) {
  ST_TRY
  *out = make(c10::IValue(v));
  ST_CATCH
}

st_status* st_ivalue_from_bool(int32_t v, st_ivalue** out) {
  ST_TRY
  *out = make(c10::IValue(v != 0));
  ST_CATCH
}

st_status* st_ivalue_from_string(const char* utf8, st_ivalue** out) {
  ST_TRY
  *out = make(c10::IValue(std::string(utf8 == nullptr ? "" : utf8)));
  ST_CATCH
}

st_status* st_ivalue_sequence(int32_t kind, st_ivalue* const* items, int32_t count, st_ivalue** out) {
  ST_TRY
  std::vector<c10::IValue> values;
  values.reserve(static_cast<size_t>(count));
  for (int32_t i = 0; i < count; ++i) {
    values.push_back(get(items[i]));
  }
  if (kind == ST_IV_TUPLE) {
    *out = make(c10::ivalue::Tuple::create(std::move(values)));
  } else if (kind == ST_IV_LIST) {
    c10::impl::GenericList list(c10::AnyType::get());
    for (auto& v : values) {
      list.push_back(std::move(v));
    }
    *out = make(c10::IValue(list));
  } else {
    throw std::invalid_argument("sequence kind must be list or tuple");
  }
  ST_CATCH
}

st_status* st_ivalue_dict(st_ivalue* const* keys, st_ivalue* const* values, int32_t count, st_ivalue** out) {
  ST_TRY
  bool string_keys = true;
  if (count > 0) {
    string_keys = get(keys[0]).isString();
  }
  c10::TypePtr key_type = string_keys ? c10::TypePtr(c10::StringType::get()) : c10::TypePtr(c10::IntType::get());
  c10::impl::GenericDict dict(key_type, c10::AnyType::get());
  for (int32_t i = 0; i < count; ++i) {
    const auto& k = get(keys[i]);
    if (string_keys ? !k.isString() : !k.isInt()) {
      throw std::invalid_argument("dictionary keys must be all strings or all integers (key " + std::to_string(i) +
                                  " differs)");
    }
    dict.insert_or_assign(k, get(values[i]));
  }
  *out = make(c10::IValue(dict));
  ST_CATCH
}

int32_t st_ivalue_kind(const st_ivalue* v) {
  const auto& x = v->value;
  if (x.isNone()) return ST_IV_NONE;
  if (x.isTensor()) return ST_IV_TENSOR;
  if (x.isDouble()) return ST_IV_DOUBLE;
  if (x.isInt()) return ST_IV_INT;
  if (x.isBool()) return ST_IV_BOOL;
  if (x.isString()) return ST_IV_STRING;
  if (x.isList()) return ST_IV_LIST;
  if (x.isTuple()) return ST_IV_TUPLE;
  if (x.isGenericDict()) return ST_IV_DICT;
  return ST_IV_OTHER;
}

st_status* st_ivalue_to_tensor(const st_ivalue* v, st_tensor** out) {
  ST_TRY
  ST_OUT(out, get(v).toTensor());
  ST_CATCH
}

st_status* st_ivalue_to_double(const st_ivalue* v, double* out) {
  ST_TRY
  const auto& x = get(v);
  *out = x.isInt() ? static_cast<double>(x.toInt()) : x.toDouble();
  ST_CATCH
}

st_status* st_ivalue_to_int(const st_ivalue* v, int64_t* out) {
  ST_TRY
  const auto& x = get(v);
  *out = x.isBool() ? (x.toBool() ? 1 : 0) : x.toInt();
  ST_CATCH
}

st_status* st_ivalue_to_string(const st_ivalue* v, char* buffer, int32_t capacity, int32_t* length) {
  ST_TRY
  const auto& s = get(v).toStringRef();
  *length = static_cast<int32_t>(s.size());
  if (buffer != nullptr && capacity > 0) {
    const auto n = std::min(static_cast<size_t>(capacity - 1), s.size());
    std::memcpy(buffer, s.data(), n);
    buffer[n] = '\0';
  }
  ST_CATCH
}

int32_t st_ivalue_count(const st_ivalue* v) {
  const auto& x = v->value;
  if (x.isList()) return static_cast<int32_t>(x.toListRef().size());
  if (x.isTuple()) return static_cast<int32_t>(x.toTupleRef().elements().size());
  if (x.isGenericDict()) return static_cast<int32_t>(x.toGenericDict().size());
  return 0;
}

st_status* st_ivalue_item(const st_ivalue* v, int32_t index, st_ivalue** out) {
  ST_TRY
  const auto& x = get(v);
  if (x.isList()) {
    *out = make(x.toListRef().at(static_cast<size_t>(index)));
  } else if (x.isTuple()) {
    *out = make(x.toTupleRef().elements().at(static_cast<size_t>(index)));
  } else {
    throw std::invalid_argument("value is not a list or tuple");
  }
  ST_CATCH
}

st_status* st_ivalue_dict_key(const st_ivalue* v, int32_t index, st_ivalue** out) {
  ST_TRY
  *out = make(dict_items(get(v)).at(static_cast<size_t>(index)).first);
  ST_CATCH
}

st_status* st_ivalue_dict_value(const st_ivalue* v, int32_t index, st_ivalue** out) {
  ST_TRY
  *out = make(dict_items(get(v)).at(static_cast<size_t>(index)).second);
  ST_CATCH
}

st_status* st_ivalue_save(const st_ivalue* v, const char* path) {
  ST_TRY
  const auto bytes = torch::jit::pickle_save(get(v));
  const std::string target(path);
  const std::string temp = target + ".tmp";
  {
    std::ofstream file(temp, std::ios::binary | std::ios::trunc);
    if (!file) {
      throw std::runtime_error("cannot open '" + temp + "' for writing");
    }
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    file.flush();
    if (!file) {
      throw std::runtime_error("cannot write '" + temp + "'");
    }
  }
  // Write then rename, so a crash never leaves a half-written file under the real name.
  if (std::rename(temp.c_str(), target.c_str()) != 0) {
    throw std::runtime_error("cannot rename '" + temp + "' to '" + target + "'");
  }
  ST_CATCH
}

st_status* st_ivalue_load(const char* path, st_ivalue** out) {
  ST_TRY
  {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) {
      throw std::runtime_error("cannot open '" + std::string(path) + "' for reading");
    }
  }
  // The steps of torch::pickle_load, with the pickle normalised first (see pickle_normalize.h).
  caffe2::serialize::PyTorchStreamReader reader{std::string(path)};
  at::DataPtr pickle_ptr;
  size_t pickle_size = 0;
  std::tie(pickle_ptr, pickle_size) = reader.getRecord("data.pkl");
  const std::string pickle = normalize_pickle(static_cast<const char*>(pickle_ptr.get()), pickle_size);
  size_t consumed = 0;
  auto read = [&](char* buffer, size_t length) -> size_t {
    if (consumed >= pickle.size()) {
      return 0;
    }
    length = std::min(pickle.size() - consumed, length);
    std::memcpy(buffer, pickle.data() + consumed, length);
    consumed += length;
    return length;
  };
  auto read_record = [&](const std::string& name) { return std::get<0>(reader.getRecord("data/" + name)); };
  torch::jit::Unpickler unpickler(read, nullptr, nullptr, std::move(read_record), c10::nullopt);
  unpickler.set_version(reader.version());
  *out = make(unpickler.parse_ivalue());
  ST_CATCH
}

}  // extern "C"
