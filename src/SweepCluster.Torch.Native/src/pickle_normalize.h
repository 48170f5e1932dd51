// Rewrites a pickle written by Python's torch.save into the opcode subset libtorch 1.13 reads.
#pragma once

#include <string>

namespace sweeptorch {

// The key prefix of entries added to rebuilt dictionaries; readers drop keys that start with it.
constexpr const char* kDiscardKeyPrefix = "\x01sweeptorch.discard.";

// Makes a pickle written by Python's torch.save readable by libtorch 1.13's unpickler:
//  - Python pickles a one-element list with APPEND and a one-entry dict with SETITEM; libtorch knows
//    only APPENDS and SETITEMS. Both become MARK ... APPENDS / SETITEMS (the same objects).
//  - libtorch unpickles collections.OrderedDict() as None (it expects one only in tensor hooks), which
//    breaks every model state_dict. An OrderedDict that receives items or attributes is rebuilt as a
//    plain dict. libtorch has no POP, so the class and its arguments, and the attributes (_metadata),
//    are parked under keys starting with kDiscardKeyPrefix, which the reader removes.
// Returns the input unchanged when nothing needs rewriting, or when it uses framing (protocol 4),
// whose frame lengths an insertion would break.
std::string normalize_pickle(const char* data, size_t size);

}  // namespace sweeptorch
