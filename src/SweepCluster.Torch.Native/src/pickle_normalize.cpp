#include "pickle_normalize.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace sweeptorch {
namespace {

// Each stack entry remembers the offset where the opcodes that built it begin, so a MARK can be
// inserted right before an APPEND's value or a SETITEM's key.
struct Entry {
  size_t start;
  bool mark;
};

struct Scanner {
  Scanner(const unsigned char* bytes, size_t length) : data(bytes), size(length) {}

  const unsigned char* data;
  size_t size;
  size_t pos = 0;
  std::vector<Entry> stack;
  std::vector<size_t> marks_at;     // where to insert a MARK byte
  std::vector<size_t> rewrite_at;   // APPEND/SETITEM opcodes to turn into APPENDS/SETITEMS
  bool framed = false;

  uint64_t read_le(size_t at, size_t n) const {
    if (at + n > size) throw std::runtime_error("truncated pickle");
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(data[at + i]) << (8 * i);
    return v;
  }

  size_t skip_line(size_t at) const {
    const void* nl = std::memchr(data + at, '\n', size - at);
    if (nl == nullptr) throw std::runtime_error("truncated pickle line");
    return static_cast<size_t>(static_cast<const unsigned char*>(nl) - data) + 1;
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

  void push(size_t start) { stack.push_back({start, false}); }

  void run() {
    while (pos < size) {
      const size_t at = pos;
      const unsigned char op = data[pos++];
      switch (op) {
        case 0x80: pos += 1; break;                                   // PROTO
        case 0x95: framed = true; pos += 8; break;                     // FRAME
        case '.': return;                                              // STOP
        case '(': stack.push_back({at, true}); break;                  // MARK
        case 'q': pos += 1; break;                                     // BINPUT
        case 'r': pos += 4; break;                                     // LONG_BINPUT
        case 0x94: break;                                              // MEMOIZE
        case 'p': pos = skip_line(pos); break;                         // PUT
        case 'h': pos += 1; push(at); break;                           // BINGET
        case 'j': pos += 4; push(at); break;                           // LONG_BINGET
        case 'g': pos = skip_line(pos); push(at); break;               // GET
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
        case 'c': pos = skip_line(skip_line(pos)); push(at); break;    // GLOBAL
        case 'N': case 0x88: case 0x89: case '}': case ']': case ')': case 0x8f:
          push(at); break;                                             // NONE, TRUE, FALSE, empty containers
        case '0': pop(); break;                                        // POP
        case '1': pop_to_mark(); break;                                // POP_MARK
        case '2': push(at); break;                                     // DUP
        case 't': case 'l': case 'd': case 0x91: push(pop_to_mark()); break;  // TUPLE, LIST, DICT, FROZENSET
        case 'o': push(pop_to_mark()); break;                          // OBJ
        case 'i': pos = skip_line(skip_line(pos)); push(pop_to_mark()); break;  // INST
        case 0x85: { Entry a = pop(); push(a.start); break; }          // TUPLE1
        case 0x86: { pop(); Entry a = pop(); push(a.start); break; }   // TUPLE2
        case 0x87: { pop(); pop(); Entry a = pop(); push(a.start); break; }  // TUPLE3
        case 'a': {                                                    // APPEND
          Entry value = pop();
          marks_at.push_back(value.start);
          rewrite_at.push_back(at);
          break;
        }
        case 's': {                                                    // SETITEM
          pop();
          Entry key = pop();
          marks_at.push_back(key.start);
          rewrite_at.push_back(at);
          break;
        }
        case 'e': case 'u': case 0x90: pop_to_mark(); break;           // APPENDS, SETITEMS, ADDITEMS
        case 'R': case 0x81: case 0x93: { pop(); Entry a = pop(); push(a.start); break; }  // REDUCE, NEWOBJ, STACK_GLOBAL
        case 0x92: { pop(); pop(); Entry a = pop(); push(a.start); break; }  // NEWOBJ_EX
        case 'b': pop(); break;                                        // BUILD
        case 'Q': { Entry a = pop(); push(a.start); break; }           // BINPERSID
        default:
          throw std::runtime_error("unsupported pickle opcode " + std::to_string(op));
      }
    }
  }
};

}  // namespace

std::string normalize_pickle(const char* data, size_t size) {
  Scanner scanner(reinterpret_cast<const unsigned char*>(data), size);
  scanner.run();
  if (scanner.rewrite_at.empty() || scanner.framed) {
    return std::string(data, size);
  }
  std::sort(scanner.marks_at.begin(), scanner.marks_at.end());
  std::sort(scanner.rewrite_at.begin(), scanner.rewrite_at.end());
  std::string out;
  out.reserve(size + scanner.marks_at.size());
  size_t m = 0;
  size_t r = 0;
  for (size_t i = 0; i < size; ++i) {
    while (m < scanner.marks_at.size() && scanner.marks_at[m] == i) {
      out.push_back('(');
      ++m;
    }
    char c = data[i];
    if (r < scanner.rewrite_at.size() && scanner.rewrite_at[r] == i) {
      c = c == 'a' ? 'e' : 'u';
      ++r;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace sweeptorch
