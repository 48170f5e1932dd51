#include "pickle_normalize.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sweeptorch {
namespace {

// Each stack entry remembers the offset where the opcodes that built it begin, so bytes can be
// inserted right before an APPEND's value, a SETITEM's key or an OrderedDict's construction.
struct Entry {
  size_t start = 0;
  bool mark = false;
  bool ordered_dict_class = false;  // the global collections.OrderedDict
  int conversion = -1;              // an OrderedDict instance that may be rebuilt as a dict
};

struct Conversion {
  size_t callable_start;
  size_t reduce_at;
  bool needed = false;
};

struct Build {
  int conversion;
  size_t state_start;
  size_t build_at;
};

std::string binunicode(const std::string& text) {
  std::string out(1, 'X');
  const auto n = static_cast<uint32_t>(text.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  return out + text;
}

struct Scanner {
  Scanner(const unsigned char* bytes, size_t length) : data(bytes), size(length) {}

  const unsigned char* data;
  size_t size;
  size_t pos = 0;
  std::vector<Entry> stack;
  std::unordered_map<uint64_t, Entry> memo;
  std::vector<Conversion> conversions;
  std::vector<Build> builds;
  // (offset, sequence, bytes): inserted before the byte at offset; at one offset, later records go first.
  std::vector<std::tuple<size_t, size_t, std::string>> inserts;
  std::vector<std::pair<size_t, std::string>> replace;  // opcode offset -> replacement bytes
  bool framed = false;

  uint64_t read_le(size_t at, size_t n) const {
    if (at + n > size) throw std::runtime_error("truncated pickle");
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(data[at + i]) << (8 * i);
    return v;
  }

  size_t skip_line(size_t at) const {
    if (at >= size) throw std::runtime_error("truncated pickle line");
    const void* nl = std::memchr(data + at, '\n', size - at);
    if (nl == nullptr) throw std::runtime_error("truncated pickle line");
    return static_cast<size_t>(static_cast<const unsigned char*>(nl) - data) + 1;
  }

  uint64_t line_number(size_t at, size_t end) const {
    return std::stoull(std::string(reinterpret_cast<const char*>(data + at), end - at - 1));
  }

  Entry pop() {
    if (stack.empty()) throw std::runtime_error("pickle stack underflow");
    Entry e = stack.back();
    stack.pop_back();
    return e;
  }

  size_t pop_to_mark() {
    while (!stack.empty()) {
      Entry e = pop();
      if (e.mark) return e.start;
    }
    throw std::runtime_error("pickle MARK not found");
  }

  void push(size_t start) {
    Entry e;
    e.start = start;
    stack.push_back(e);
  }

  void remember(uint64_t index) {
    if (!stack.empty()) memo[index] = stack.back();
  }

  void recall(size_t at, uint64_t index) {
    Entry e;
    auto it = memo.find(index);
    if (it != memo.end()) e = it->second;
    e.start = at;
    e.mark = false;
    stack.push_back(e);
  }

  void insert(size_t at, std::string bytes) { inserts.emplace_back(at, inserts.size(), std::move(bytes)); }

  // The target of SETITEM(S)/BUILD is on top of the stack: an OrderedDict there must become a dict.
  void need_top_conversion() {
    if (!stack.empty() && stack.back().conversion >= 0) {
      conversions[static_cast<size_t>(stack.back().conversion)].needed = true;
    }
  }

  void run() {
    while (pos < size) {
      const size_t at = pos;
      const unsigned char op = data[pos++];
      switch (op) {
        case 0x80: pos += 1; break;                                   // PROTO
        case 0x95: framed = true; pos += 8; break;                     // FRAME
        case '.': return;                                              // STOP
        case '(': { Entry m; m.start = at; m.mark = true; stack.push_back(m); break; }  // MARK
        case 'q': remember(read_le(pos, 1)); pos += 1; break;          // BINPUT
        case 'r': remember(read_le(pos, 4)); pos += 4; break;          // LONG_BINPUT
        case 0x94: remember(memo.size()); break;                       // MEMOIZE
        case 'p': { const size_t end = skip_line(pos); remember(line_number(pos, end)); pos = end; break; }  // PUT
        case 'h': recall(at, read_le(pos, 1)); pos += 1; break;        // BINGET
        case 'j': recall(at, read_le(pos, 4)); pos += 4; break;        // LONG_BINGET
        case 'g': { const size_t end = skip_line(pos); recall(at, line_number(pos, end)); pos = end; break; }  // GET
        case 'J': pos += 4; push(at); break;                           // BININT
        case 'K': pos += 1; push(at); break;                           // BININT1
        case 'M': pos += 2; push(at); break;                           // BININT2
        case 'G': pos += 8; push(at); break;                           // BINFLOAT
        case 0x82: pos += 1; push(at); break;                          // EXT1
        case 0x83: pos += 2; push(at); break;                          // EXT2
        case 0x84: pos += 4; push(at); break;                          // EXT4
        case 0x8a: pos += 1 + read_le(pos, 1); push(at); break;        // LONG1
        case 0x8b: pos += 4 + read_le(pos, 4); push(at); break;        // LONG4
        case 'X': pos += 4 + read_le(pos, 4); push(at); break;         // BINUNICODE
        case 0x8c: pos += 1 + read_le(pos, 1); push(at); break;        // SHORT_BINUNICODE
        case 0x8d: pos += 8 + read_le(pos, 8); push(at); break;        // BINUNICODE8
        case 'U': pos += 1 + read_le(pos, 1); push(at); break;         // SHORT_BINSTRING
        case 'T': pos += 4 + read_le(pos, 4); push(at); break;         // BINSTRING
        case 'B': pos += 4 + read_le(pos, 4); push(at); break;         // BINBYTES
        case 'C': pos += 1 + read_le(pos, 1); push(at); break;         // SHORT_BINBYTES
        case 0x8e: pos += 8 + read_le(pos, 8); push(at); break;        // BINBYTES8
        case 0x96: pos += 8 + read_le(pos, 8); push(at); break;        // BYTEARRAY8
        case 'I': case 'L': case 'S': case 'V': case 'F': case 'P':    // text-form values, PERSID
          pos = skip_line(pos); push(at); break;
        case 'c': {                                                    // GLOBAL
          const size_t end = skip_line(skip_line(pos));
          const std::string name(reinterpret_cast<const char*>(data + pos), end - pos);
          pos = end;
          push(at);
          stack.back().ordered_dict_class = name == "collections\nOrderedDict\n";
          break;
        }
        case 'N': case 0x88: case 0x89: case '}': case ']': case ')': case 0x8f:
          push(at); break;                                             // NONE, TRUE, FALSE, empty containers
        case '0': pop(); break;                                        // POP
        case '1': pop_to_mark(); break;                                // POP_MARK
        case '2': push(at); break;                                     // DUP
        case 't': case 'l': case 'd': case 0x91: case 'o':             // TUPLE, LIST, DICT, FROZENSET, OBJ
          push(pop_to_mark()); break;
        case 'i': pos = skip_line(skip_line(pos)); push(pop_to_mark()); break;  // INST
        case 0x85: { Entry a = pop(); push(a.start); break; }          // TUPLE1
        case 0x86: { pop(); Entry a = pop(); push(a.start); break; }   // TUPLE2
        case 0x87: { pop(); pop(); Entry a = pop(); push(a.start); break; }  // TUPLE3
        case 'a': {                                                    // APPEND
          Entry value = pop();
          insert(value.start, "(");
          replace.emplace_back(at, "e");
          break;
        }
        case 's': {                                                    // SETITEM
          pop();
          Entry key = pop();
          need_top_conversion();
          insert(key.start, "(");
          replace.emplace_back(at, "u");
          break;
        }
        case 'e': case 0x90: pop_to_mark(); break;                     // APPENDS, ADDITEMS
        case 'u': pop_to_mark(); need_top_conversion(); break;         // SETITEMS
        case 'R': {                                                    // REDUCE
          pop();
          Entry callable = pop();
          push(callable.start);
          if (callable.ordered_dict_class) {
            conversions.push_back({callable.start, at, false});
            stack.back().conversion = static_cast<int>(conversions.size() - 1);
          }
          break;
        }
        case 0x81: case 0x93: { pop(); Entry a = pop(); push(a.start); break; }  // NEWOBJ, STACK_GLOBAL
        case 0x92: { pop(); pop(); Entry a = pop(); push(a.start); break; }  // NEWOBJ_EX
        case 'b': {                                                    // BUILD
          Entry state = pop();
          if (!stack.empty() && stack.back().conversion >= 0) {
            need_top_conversion();
            builds.push_back({stack.back().conversion, state.start, at});
          }
          break;
        }
        case 'Q': { Entry a = pop(); push(a.start); break; }           // BINPERSID
        default:
          throw std::runtime_error("unsupported pickle opcode " + std::to_string(op));
      }
    }
  }

  void plan_conversions() {
    const std::string prefix = kDiscardKeyPrefix;
    for (const auto& c : conversions) {
      if (!c.needed) continue;
      // EMPTY_DICT MARK key <class> <args> TUPLE2 SETITEMS: a dict holding {key: (class, args)}.
      insert(c.callable_start, "}(" + binunicode(prefix + "class"));
      replace.emplace_back(c.reduce_at, "\x86u");
    }
    for (const auto& b : builds) {
      if (!conversions[static_cast<size_t>(b.conversion)].needed) continue;
      // MARK key <state> SETITEMS: the attributes go under a discarded key.
      insert(b.state_start, "(" + binunicode(prefix + "state"));
      replace.emplace_back(b.build_at, "u");
    }
  }
};

}  // namespace

std::string normalize_pickle(const char* data, size_t size) {
  Scanner scanner(reinterpret_cast<const unsigned char*>(data), size);
  scanner.run();
  scanner.plan_conversions();
  if (scanner.replace.empty() || scanner.framed) {
    return std::string(data, size);
  }
  // At one offset, the construct recorded later encloses the earlier one, so its bytes go first.
  std::sort(scanner.inserts.begin(), scanner.inserts.end(), [](const auto& x, const auto& y) {
    return std::get<0>(x) != std::get<0>(y) ? std::get<0>(x) < std::get<0>(y) : std::get<1>(x) > std::get<1>(y);
  });
  std::sort(scanner.replace.begin(), scanner.replace.end());
  std::string out;
  out.reserve(size + 64 * scanner.inserts.size());
  size_t k = 0;
  size_t r = 0;
  for (size_t i = 0; i < size; ++i) {
    while (k < scanner.inserts.size() && std::get<0>(scanner.inserts[k]) == i) {
      out += std::get<2>(scanner.inserts[k]);
      ++k;
    }
    if (r < scanner.replace.size() && scanner.replace[r].first == i) {
      out += scanner.replace[r].second;
      ++r;
    } else {
      out.push_back(static_cast<char>(data[i]));
    }
  }
  return out;
}

}  // namespace sweeptorch
