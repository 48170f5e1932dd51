// Rewrites the single-item opcodes of a Python pickle into their batch forms.
#pragma once

#include <string>

namespace sweeptorch {

// Python pickles a one-element list with APPEND and a one-entry dict with SETITEM; libtorch 1.13's
// unpickler knows only APPENDS and SETITEMS. Both are rewritten to MARK ... APPENDS / SETITEMS, which
// build the same objects. Returns the input unchanged when it has neither opcode, or when it uses
// framing (protocol 4), whose frame lengths an insertion would break.
std::string normalize_pickle(const char* data, size_t size);

}  // namespace sweeptorch
