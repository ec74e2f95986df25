#!/usr/bin/env python3
"""Rewrites 8-bit RGB or RGBA PNG files smaller, with the same pixels.

Chromium's screenshots (scripts/icons.sh) use one fixed row filter and a
fast deflate level. This gives each row the filter that leaves the
smallest residues, deflates at level 9, keeps the smaller of a few
attempts, and checks that the result decodes to the same pixels before
it replaces the file. Only the chunks a plain, non-interlaced 8-bit PNG
needs are written.
"""

import os
import struct
import sys
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {2: 3, 6: 4}  # colour type -> bytes per pixel at 8 bits


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def predict(kind, a, b, c):
    return (0, a, b, (a + b) // 2, paeth(a, b, c))[kind]


def read(path):
    """Width, height, colour type and the unfiltered rows of a PNG."""
    data = open(path, "rb").read()
    if not data.startswith(SIGNATURE):
        sys.exit(f"{path}: not a PNG")
    at, idat = len(SIGNATURE), b""
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        at += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, laced = struct.unpack(
                ">IIBBBBB", body
            )
            if depth != 8 or colour not in CHANNELS or laced:
                sys.exit(f"{path}: only 8-bit RGB(A), non-interlaced")
        elif kind == b"IDAT":
            idat += body
    raw, bpp = zlib.decompress(idat), CHANNELS[colour]
    stride, rows, previous = width * bpp, [], bytes(width * bpp)
    for y in range(height):
        start = y * (stride + 1)
        kind, row = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            a = row[x - bpp] if x >= bpp else 0
            c = previous[x - bpp] if x >= bpp else 0
            row[x] = (row[x] + predict(kind, a, previous[x], c)) & 255
        rows.append(bytes(row))
        previous = row
    return width, height, colour, rows


def filtered(rows, bpp, only):
    """The filtered image data, each row with filter `only`, or with the
    filter of smallest residues when `only` is None."""
    out, previous = bytearray(), bytes(len(rows[0]))
    for row in rows:
        tries = []
        for kind in range(5) if only is None else (only,):
            line = bytearray([kind])
            for x in range(len(row)):
                a = row[x - bpp] if x >= bpp else 0
                c = previous[x - bpp] if x >= bpp else 0
                line.append((row[x] - predict(kind, a, previous[x], c)) & 255)
            tries.append(line)
        out += min(tries, key=lambda l: sum(min(v, 256 - v) for v in l[1:]))
        previous = row
    return bytes(out)


def chunk(kind, body):
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def shrink(path):
    width, height, colour, rows = read(path)
    best = None
    for only in (None, 0, 1, 2, 4):
        data = filtered(rows, CHANNELS[colour], only)
        for strategy in (zlib.Z_DEFAULT_STRATEGY, zlib.Z_FILTERED):
            packer = zlib.compressobj(9, zlib.DEFLATED, 15, 9, strategy)
            packed = packer.compress(data) + packer.flush()
            if best is None or len(packed) < len(best):
                best = packed
    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    png = (
        SIGNATURE
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", best)
        + chunk(b"IEND", b"")
    )
    before = len(open(path, "rb").read())
    if len(png) >= before:
        return
    scratch = path + ".shrink"
    open(scratch, "wb").write(png)
    same = read(scratch)[3] == rows
    os.remove(scratch)
    if not same:
        sys.exit(f"{path}: the smaller file decodes differently")
    open(path, "wb").write(png)
    print(f"{path}: {before} -> {len(png)} bytes")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        shrink(name)
