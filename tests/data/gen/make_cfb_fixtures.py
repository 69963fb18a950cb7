#!/usr/bin/env python3
"""make_cfb_fixtures.py — regenerate tests/data/cfb/: small OLE2 compound files ([MS-CFB]
version 3, 512-byte sectors) built byte by byte, one per classification the CFB reader makes.

Layout: sector 0 FAT, sector 1 directory, sector 2 mini FAT, then the mini stream (streams
under 4096 bytes, in 64-byte mini sectors), then the regular streams. Directory siblings are
chained through the right-sibling field (a degenerate but valid red-black tree).
Checked against an independent reader (Debian python3-olefile lists the same streams with
the same sizes and first bytes). Run from the repository root:
    python3 tests/data/gen/make_cfb_fixtures.py
"""
import os
import struct

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
out = os.path.join(root, "tests", "data", "cfb")
os.makedirs(out, exist_ok=True)
SS = 512
NOSTREAM, ENDCHAIN, FATSECT, FREE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def dirent(name, typ, start, size, child=NOSTREAM, right=NOSTREAM):
    n = name.encode("utf-16-le") + b"\0\0"
    e = n.ljust(64, b"\0") + struct.pack("<HBB", len(n), typ, 1)
    e += struct.pack("<III", NOSTREAM, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
    e += struct.pack("<IQ", start, size)
    assert len(e) == 128
    return e


def build(entries):
    """entries: list of (name, type, bytes or None for a storage)."""
    mini, regular, placed = bytearray(), [], []
    for name, typ, data in entries:
        if data is None:
            placed.append((name, typ, 0, 0))
        elif len(data) < 4096:
            start = len(mini) // 64
            mini += data + b"\0" * (-len(data) % 64)
            placed.append((name, typ, start, len(data)))
        else:
            placed.append((name, typ, None, len(data)))
            regular.append(data)
    nmini = len(mini) // 64
    minifat = [i + 1 for i in range(nmini)]
    if nmini:
        minifat[-1] = ENDCHAIN
    # sectors: 0 FAT, 1 directory (up to 4 entries), 2 mini FAT, mini stream, regular streams
    fat = [FATSECT, ENDCHAIN, ENDCHAIN]
    ministart = len(fat)
    msect = (len(mini) + SS - 1) // SS
    for i in range(msect):
        fat.append(ministart + i + 1 if i + 1 < msect else ENDCHAIN)
    body = [bytes(mini).ljust(msect * SS, b"\0")]
    starts = []
    for data in regular:
        s = len(fat)
        n = (len(data) + SS - 1) // SS
        for i in range(n):
            fat.append(s + i + 1 if i + 1 < n else ENDCHAIN)
        starts.append(s)
        body.append(data.ljust(n * SS, b"\0"))
    assert len(fat) <= SS // 4
    fat += [FREE] * (SS // 4 - len(fat))
    d = [dirent("Root Entry", 5, ministart if msect else ENDCHAIN, len(mini), child=1)]
    for i, (name, typ, start, size) in enumerate(placed):
        if start is None:
            start = starts.pop(0)
        right = i + 2 if i + 1 < len(placed) else NOSTREAM
        d.append(dirent(name, typ, start, size, right=right))
    assert len(d) <= 4
    dsec = b"".join(d).ljust(SS, b"\0")
    mf = struct.pack("<%dI" % len(minifat), *minifat).ljust(SS, b"\xff")
    h = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 16
    h += struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9) + struct.pack("<H", 6) + b"\0" * 6
    h += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 2 if nmini else ENDCHAIN, 1 if nmini else 0,
                     ENDCHAIN, 0)
    h += struct.pack("<I", 0) + b"\xff" * (109 * 4 - 4)
    assert len(h) == 512
    return h + struct.pack("<128I", *fat) + dsec + mf + b"".join(body)


def encinfo(major, minor):
    return struct.pack("<HHI", major, minor, 0x40) + b"<?xml version=\"1.0\"?><encryption/>"


def fib(flags, size):
    # [MS-DOC] FibBase: wIdent 0xA5EC, nFib 0x00C1, ..., flags word at offset 0x0A
    return (struct.pack("<HHHHHH", 0xA5EC, 0x00C1, 0, 0x0419, 0, flags)).ljust(size, b"\0")


pkg = bytes(range(256)) * 20  # 5120 bytes: a regular-sector stream
files = {
    "encrypted-agile.cfb": [("EncryptionInfo", 2, encinfo(4, 4)), ("EncryptedPackage", 2, pkg),
                            ("\x06DataSpaces", 1, None)],
    "encrypted-standard-upper.cfb": [("ENCRYPTIONINFO", 2, encinfo(3, 2)),
                                     ("ENCRYPTEDPACKAGE", 2, pkg)],
    "legacy.cfb": [("WordDocument", 2, fib(0x0000, 5000)), ("1Table", 2, b"\0" * 100)],
    "legacy-encrypted-mini.cfb": [("WordDocument", 2, fib(0x0100, 600)),
                                  ("1Table", 2, b"\0" * 100)],
    "excel.cfb": [("Workbook", 2, b"\x09\x08" + b"\0" * 200)],
    "powerpoint.cfb": [("PowerPoint Document", 2, b"\0" * 300)],
    "other.cfb": [("Contents", 2, b"hello" * 10)],
}
for name, ents in files.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(build(ents))
