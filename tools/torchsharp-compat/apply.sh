#!/usr/bin/env bash
# Usage: apply.sh DIR   (DIR holds libLibTorchSharp.so, e.g. bin/.../runtimes/linux-x64/native)
#
# Why: TorchSharp's prebuilt libLibTorchSharp.so was linked with GCC 13 and requires
# GLIBCXX_3.4.32 for one symbol, std::ios_base_library_init(). Older distributions
# (e.g. Debian 12, libstdc++ up to GLIBCXX_3.4.30) cannot load it. When, and only when,
# the system libstdc++ lacks that version, this patches the COPY in DIR:
#   1. mark the GLIBCXX_3.4.32 requirement weak (VER_FLG_WEAK),
#   2. drop the version from the one symbol that used it,
#   3. provide that symbol from a small stub library placed next to it ($ORIGIN RUNPATH).
# Idempotence is decided from the library itself, because MSBuild may copy the original
# back over the patched file on a later build.
set -euo pipefail

DIR=${1:?usage: apply.sh DIR}
DIR=${DIR%/}   # MSBuild passes OutDir/PublishDir with a trailing slash
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIB="$DIR/libLibTorchSharp.so"
VERSION=GLIBCXX_3.4.32
SYMBOL=_ZSt21ios_base_library_initv
STUB_NAME=libsweepcluster_stdcxx_compat.so
STUB_SRC="$HERE/ios_base_library_init.cpp"
MARKER="$DIR/sweepcluster-libstdcxx-compat.txt"

[[ -f "$LIB" ]] || exit 0
# Temporary files live in DIR so the final rename is atomic; remove them on any exit.
tmp_stub="" tmp_lib=""
trap 'rm -f "$tmp_stub" "$tmp_lib"' EXIT

# Prefer the distribution python (fast start, always present on Debian); any python3 works.
PY=/usr/bin/python3
[[ -x "$PY" ]] || PY=$(command -v python3) || { echo "apply.sh : error : python3 not found (apt-get install python3)" >&2; exit 1; }
ELF() { "$PY" "$HERE/set_weak_verneed.py" "$@"; }

# The libstdc++ the dynamic loader will pick for an x86-64 process.
SYS_STDCXX=$( { /sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null || true; } |
  awk '!found && $1 == "libstdc++.so.6" && /x86-64/ { print $NF; found = 1 }')
if [[ -z "$SYS_STDCXX" ]] && command -v g++ >/dev/null; then
  SYS_STDCXX=$(g++ -print-file-name=libstdc++.so.6)
fi
if [[ -z "$SYS_STDCXX" || ! -f "$SYS_STDCXX" ]]; then
  echo "apply.sh: warning: system libstdc++.so.6 not found; leaving $LIB unchanged" >&2
  exit 0
fi
SYS_STDCXX=$(readlink -f "$SYS_STDCXX")

SYS_DEFS=$(ELF --list-defs "$SYS_STDCXX")
STATE=$(ELF --check "$LIB" "$VERSION" || true)   # required | weak | absent

if grep -qx "$VERSION" <<<"$SYS_DEFS" || [[ "$STATE" == absent ]]; then
  # Not needed. A weak (already patched) library still works, so only drop a marker
  # that no longer describes the file next to it.
  [[ "$STATE" == weak ]] || rm -f "$MARKER"
  exit 0
fi

for tool in patchelf g++; do
  command -v "$tool" >/dev/null || {
    echo "apply.sh : error : '$tool' is needed to make $LIB loadable with $SYS_STDCXX (lacks $VERSION); install it: apt-get install patchelf g++" >&2
    exit 1
  }
done

# Stub: rebuild only when missing or older than its source; write-then-rename so a
# concurrent build never sees a half-written file.
STUB="$DIR/$STUB_NAME"
if [[ ! -f "$STUB" || "$STUB_SRC" -nt "$STUB" ]]; then
  tmp_stub=$(mktemp "$DIR/.stub.XXXXXX")
  g++ -shared -fPIC -O2 -o "$tmp_stub" "$STUB_SRC"
  chmod 755 "$tmp_stub"
  mv -f "$tmp_stub" "$STUB"
fi

# (grep reads a here-string, not a pipe: with pipefail an early-exiting grep -q could
# turn a match into a failure.)
has_stub() { grep -qx "$STUB_NAME" <<<"$(patchelf --print-needed "$1")"; }

if [[ "$STATE" == weak ]] && has_stub "$LIB"; then
  if [[ -f "$MARKER" ]]; then exit 0; fi   # already patched, nothing to do
else
  # Patch a private copy and rename it over the original: the output file may be a hard
  # link into the NuGet cache, which must never change.
  tmp_lib=$(mktemp "$DIR/.libLibTorchSharp.XXXXXX")
  cp "$LIB" "$tmp_lib"
  ELF "$tmp_lib" "$VERSION" >/dev/null
  patchelf --clear-symbol-version "$SYMBOL" "$tmp_lib"
  has_stub "$tmp_lib" || patchelf --add-needed "$STUB_NAME" "$tmp_lib"
  chmod --reference="$LIB" "$tmp_lib"
  mv -f "$tmp_lib" "$LIB"
  echo "apply.sh: patched $LIB for $SYS_STDCXX (no $VERSION)"
fi

HIGHEST=$(grep '^GLIBCXX_' <<<"$SYS_DEFS" | sort -V | tail -1)
cat >"$MARKER" <<EOF
libLibTorchSharp.so in this folder was modified after the build copied it here.

Why: it requires libstdc++ symbol version $VERSION (for $SYMBOL, i.e.
std::ios_base_library_init()), but the system libstdc++ ($SYS_STDCXX)
only goes up to ${HIGHEST:-unknown}, so the library could not be loaded.

What changed (in this copy only; the NuGet package cache is untouched):
  1. the $VERSION requirement in .gnu.version_r is marked weak (VER_FLG_WEAK);
  2. $SYMBOL no longer carries a symbol version;
  3. $STUB_NAME (built from tools/torchsharp-compat/ios_base_library_init.cpp)
     provides that function and was added as a DT_NEEDED entry.

Patched by tools/torchsharp-compat/apply.sh on $(date -u '+%Y-%m-%d %H:%M:%S UTC').
EOF
