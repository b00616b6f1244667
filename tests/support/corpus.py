"""The ship check's corpus of bad and good inputs (tests/check_corpus/), made real."""

from __future__ import annotations

import shutil
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "check_corpus"
EM_DASH = "\u2014"
#: the named HTML entity, assembled so that no committed file spells it
ENTITY = b"&" + b"mdash;"
#: the numeric entities, likewise assembled
DEC_ENTITY = b"&#" + b"8212;"
HEX_ENTITY = b"&#x" + b"2014;"


#: what each placeholder of the corpus stands for (the repository holds none of these)
PLACEHOLDERS = {
    b"{EMDASH}": EM_DASH.encode(), b"{NOTUTF8}": b"\xe9", b"{MDASH_ENTITY}": ENTITY,
    b"{DEC_ENTITY}": DEC_ENTITY, b"{HEX_ENTITY}": HEX_ENTITY, b"{NUL}": b"\x00",
    b"{HBAR}": "\u2015".encode(), b"{TWOEM}": "\u2e3a".encode(),
    b"{THREEEM}": "\u2e3b".encode(), b"{SMALLEM}": "\ufe58".encode(),
    b"{VERTEM}": "\ufe31".encode(),
}
#: the folders of bad/ a check run reads (site/ is read as a built site)
BAD_FOLDERS = ("posts", "data", "gallery", "docs", "elsewhere")
#: files the cases lean on (a cover a post names), put in place in the project
SUPPORT = CORPUS / "bad" / "support"


def with_support(project: Path) -> Path:
    """``project`` with the corpus's support files at their paths (never written
    through a hard link into another tree)."""
    for path in sorted(SUPPORT.rglob("*")):
        if path.is_file():
            dest = project / path.relative_to(SUPPORT)
            dest.unlink(missing_ok=True)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
    return project


def materialise(src: Path, dest: Path) -> Path:
    """A copy of a corpus folder with its placeholders turned into the real bytes."""
    for path in sorted(src.rglob("*")):
        if not path.is_file():
            continue
        out = dest / path.relative_to(src)
        out.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        for placeholder, value in PLACEHOLDERS.items():
            data = data.replace(placeholder, value)
        if ".crlf." in path.name:
            data = data.replace(b"\n", b"\r\n")
        if ".bom." in path.name:
            data = b"\xef\xbb\xbf" + data
        out.write_bytes(data)
    return dest
