#!/usr/bin/env python3
"""Inspect or relax a symbol-version requirement of an ELF64 little-endian shared library.

Why: a prebuilt native library (e.g. libLibTorchSharp.so) may require a libstdc++
version node (GLIBCXX_3.4.32) that an older system libstdc++ does not define. The
dynamic loader refuses to load it unless that requirement is marked VER_FLG_WEAK.
Dependency-free on purpose (struct only) so it runs on any python3.

Usage:
  set_weak_verneed.py LIB VERSION            set VER_FLG_WEAK on the Vernaux named VERSION
  set_weak_verneed.py --check LIB VERSION    print required|weak|absent; exit 0 only for
                                             'required' (LIB needs VERSION non-weakly)
  set_weak_verneed.py --list-defs LIB        print the version names LIB defines (.gnu.version_d)
"""
import struct
import sys

VER_FLG_WEAK = 0x2
SHT_GNU_VERDEF = 0x6FFFFFFD
SHT_GNU_VERNEED = 0x6FFFFFFE


def fail(msg, code=2):
    print(f"set_weak_verneed: {msg}", file=sys.stderr)
    sys.exit(code)


def sections(data):
    """Return a list of (name, type, offset, size, link, info) for all section headers."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        fail("not an ELF64 little-endian file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    raw = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    strtab_off = raw[shstrndx][4]
    out = []
    for name, typ, _flags, _addr, off, size, link, info, _align, _ent in raw:
        out.append((cstr(data, strtab_off + name), typ, off, size, link, info))
    return out


def cstr(data, off):
    return data[off:data.index(b"\0", off)].decode("ascii", "replace")


def find(secs, name, typ):
    # Match by name as asked by the gABI conventions; fall back to the section type.
    for s in secs:
        if s[0] == name:
            return s
    for s in secs:
        if s[1] == typ:
            return s
    return None


def vernaux_entries(data, secs):
    """Yield (file_offset_of_vna_flags, flags, name) for every Vernaux in .gnu.version_r."""
    sec = find(secs, ".gnu.version_r", SHT_GNU_VERNEED)
    if sec is None:
        return
    _n, _t, off, _size, link, count = sec
    strs = secs[link][2]  # names live in the section's sh_link string table (.dynstr)
    vn = off
    for _ in range(count):
        _ver, cnt, _file, aux, nxt = struct.unpack_from("<HHIII", data, vn)
        va = vn + aux
        for _ in range(cnt):
            _hash, flags, _other, name, vnext = struct.unpack_from("<IHHII", data, va)
            yield va + 4, flags, cstr(data, strs + name)
            if vnext == 0:
                break
            va += vnext
        if nxt == 0:
            break
        vn += nxt


def verdef_names(data, secs):
    sec = find(secs, ".gnu.version_d", SHT_GNU_VERDEF)
    if sec is None:
        return []
    _n, _t, off, _size, link, count = sec
    strs = secs[link][2]
    names, vd = [], off
    for _ in range(count):
        _ver, _flags, _ndx, cnt, _hash, aux, nxt = struct.unpack_from("<HHHHIII", data, vd)
        if cnt:
            name, = struct.unpack_from("<I", data, vd + aux)  # first Verdaux is the node name
            names.append(cstr(data, strs + name))
        if nxt == 0:
            break
        vd += nxt
    return names


def main(argv):
    mode = "set"
    if argv and argv[0] in ("--check", "--list-defs"):
        mode = argv.pop(0)
    if (mode == "--list-defs" and len(argv) != 1) or (mode != "--list-defs" and len(argv) != 2):
        fail(__doc__.strip().split("Usage:")[1].strip())
    lib = argv[0]
    with open(lib, "rb") as f:
        data = f.read()
    secs = sections(data)

    if mode == "--list-defs":
        print("\n".join(verdef_names(data, secs)))
        return 0

    version = argv[1]
    matches = [(pos, flags) for pos, flags, name in vernaux_entries(data, secs) if name == version]
    if mode == "--check":
        if not matches:
            print("absent")
            return 1
        state = "weak" if all(flags & VER_FLG_WEAK for _, flags in matches) else "required"
        print(state)
        return 0 if state == "required" else 1

    if not matches:
        fail(f"{lib} has no version requirement named {version}")
    todo = [(pos, flags) for pos, flags in matches if not flags & VER_FLG_WEAK]
    if not todo:
        print(f"{lib}: {version} already weak, nothing to do")
        return 0
    # In-place byte edit of vna_flags: the file size and layout stay unchanged.
    with open(lib, "r+b") as f:
        for pos, flags in todo:
            f.seek(pos)
            f.write(struct.pack("<H", flags | VER_FLG_WEAK))
    print(f"{lib}: marked {version} as VER_FLG_WEAK ({len(todo)} entry)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
