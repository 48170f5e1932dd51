// Stand-in for std::ios_base_library_init(), which libstdc++ gained in GCC 13
// (symbol version GLIBCXX_3.4.32). Code built with GCC 13 calls it from static
// initializers to make sure the standard streams exist. Older libstdc++ lacks it,
// so this tiny library provides it: constructing one ios_base::Init does the same.
#include <ios>

namespace std {
void ios_base_library_init() {
  static ios_base::Init init;
}
}  // namespace std
