"""The tEXt chunks of a PNG file: read them, add one.

Plain byte work on the chunk layout (length, type, data, CRC); no image
decoding. The cover twins record the SHA-256 of their SVG here.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from .errors import MediaError

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunks(data: bytes):
    if not data.startswith(SIGNATURE):
        raise MediaError("not a PNG file (bad signature)")
    pos = len(SIGNATURE)
    while pos < len(data):
        if pos + 8 > len(data):
            raise MediaError("truncated chunk header")
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise MediaError(f"truncated {kind.decode('latin-1')} chunk")
        yield kind, data[pos + 8:pos + 8 + length], pos, end
        pos = end
        if kind == b"IEND":
            return
    raise MediaError("no IEND chunk")


def text_chunks(data: bytes) -> dict[str, str]:
    """Every tEXt keyword and its text (Latin-1, as the PNG standard has it)."""
    found: dict[str, str] = {}
    for kind, body, _, _ in _chunks(data):
        if kind == b"tEXt" and b"\0" in body:
            key, _, value = body.partition(b"\0")
            found[key.decode("latin-1")] = value.decode("latin-1")
    return found


def read_text(path: Path) -> dict[str, str]:
    return text_chunks(Path(path).read_bytes())


def with_text(data: bytes, key: str, value: str) -> bytes:
    """``data`` with a tEXt chunk ``key`` = ``value`` right after IHDR (an old one dropped)."""
    if not 1 <= len(key) <= 79 or "\0" in key or "\0" in value:
        raise ValueError(f"invalid tEXt keyword or text: {key!r}")
    body = key.encode("latin-1") + b"\0" + value.encode("latin-1")
    chunk = (struct.pack(">I", len(body)) + b"tEXt" + body
             + struct.pack(">I", zlib.crc32(b"tEXt" + body) & 0xFFFFFFFF))
    out = [SIGNATURE]
    for kind, body_, start, end in _chunks(data):
        if kind == b"tEXt" and body_.partition(b"\0")[0] == key.encode("latin-1"):
            continue
        out.append(data[start:end])
        if kind == b"IHDR":
            out.append(chunk)
    if len(out) < 2 or not out[1].startswith(b"\0\0\0\x0dIHDR"):
        raise MediaError("the first chunk is not IHDR")
    return b"".join(out)
