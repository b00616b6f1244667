"""gallery/manifest.json: what is rendered and installed, per clip.

For each clip id: the hash of its endpoint and inputs, ``source`` (``fal`` or
``placeholder``), the fal ``request_id``, the ``seed`` fal returned, the
estimated ``cost_usd``, the ``rendered`` date, the ``source_url`` fal gave,
and ``files``: the web rendition and the poster, each with its path (relative
to the repository), ``sha256`` and size in ``bytes``. A clip the content
policy turned down keeps its previous media and gets a ``rejected`` record.

:func:`validate_manifest` is the file's one validator (the gallery commands,
the build and the ship check all read it through it). Writes go through
:mod:`seedpress.writer`: the new text is written beside the manifest, read
back and validated, then renamed over it, so a crash leaves either the old
manifest or the new one, never a torn file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import codes
from ..content import schema
from ..content.limits import SEED_MAX
from ..content.schema import Findings
from ..content.source import Positions, parse_yaml, read_text
from ..errors import ContentError
from ..writer import write_atomic

MANIFEST_FILE = Path("gallery") / "manifest.json"
MEDIA_DIR = Path("docs") / "gallery-media"
VERSION = 1
SOURCES = ("fal", "placeholder")
FILE_ROLES = ("video", "poster")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class StoredFile:
    path: str  # relative to the repository root, POSIX separators
    sha256: str
    bytes: int

    @classmethod
    def of(cls, root: Path, path: Path) -> StoredFile:
        return cls(path.relative_to(root).as_posix(), sha256_of(path), path.stat().st_size)

    def problem(self, root: Path) -> str | None:
        """Why the file on disk is not this record (None when it is)."""
        full = root / self.path
        if not full.is_file():
            return f"media missing: {self.path}"
        if full.stat().st_size != self.bytes or sha256_of(full) != self.sha256:
            return f"media corrupt: {self.path} does not match its recorded sha256"
        return None


@dataclass
class Entry:
    hash: str
    endpoint: str
    source: str
    request_id: str | None
    seed: int | None
    cost_usd: float
    rendered: str
    source_url: str | None
    files: dict[str, StoredFile]
    rejected: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "hash": self.hash, "endpoint": self.endpoint, "source": self.source,
            "request_id": self.request_id, "seed": self.seed, "cost_usd": self.cost_usd,
            "rendered": self.rendered, "source_url": self.source_url,
            "files": {role: vars(f) for role, f in sorted(self.files.items())},
        }
        if self.rejected:
            out["rejected"] = self.rejected
        return out


@dataclass
class Manifest:
    path: Path
    clips: dict[str, Entry] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"version": VERSION,
                "clips": {k: self.clips[k].as_json() for k in sorted(self.clips)}}

    def referenced(self) -> set[str]:
        return {f.path for e in self.clips.values() for f in e.files.values()}


_ENTRY_KEYS = ("hash", "endpoint", "source", "request_id", "seed", "cost_usd", "rendered",
               "source_url", "files", "rejected")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_CLIP_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _read_json(text: str, f: Findings) -> Any:
    """The manifest's JSON with line marks (None after a finding).

    ``json`` finds syntax errors (and refuses NaN and Infinity); the same
    text is then read by the line-aware YAML loader, of which JSON is a
    subset, so every later finding names its line and duplicate keys are
    caught instead of silently dropped.
    """
    try:
        json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as err:
        f.add(codes.SYNTAX, err.lineno, f"not valid JSON: {err.msg}", err.colno)
        return None
    except ValueError as err:
        m = re.search(r"-?\b(?:NaN|Infinity)\b", text)
        line, column = Positions(text).at(m.start()) if m else (1, 1)
        f.add(codes.SCHEMA, line, f"not valid JSON: {err}", column)
        return None
    except RecursionError:
        f.add(codes.SYNTAX, 1, "not valid JSON: nested too deeply to read")
        return None
    # Literal tabs can only be whitespace in valid JSON (a tab inside a string
    # is written \t), and YAML does not take them for indentation.
    try:
        return parse_yaml(text.replace("\t", " "), f.path)
    except ContentError as err:
        f.absorb(err)
        return None


def _stored_file(f: Findings, item: Any, line: int, where: str) -> StoredFile | None:
    if not schema.is_mapping(f, item, line, where):
        return None
    schema.unknown_keys(f, item, ("path", "sha256", "bytes"), where)
    path = schema.text(f, item, "path", where)
    digest = schema.text(f, item, "sha256", where)
    size = schema.integer(f, item, "bytes", where, lo=0, hi=10**12)
    if path is not None:
        parts = Path(path).parts
        if Path(path).is_absolute() or ".." in parts or Path(*parts[:2]) != MEDIA_DIR:
            f.add(codes.SCHEMA, item.line_of("path"), f"{where}: path must be a file under "
                  f"{MEDIA_DIR.as_posix()}/")
            path = None
    if digest is not None and not _HEX64.match(digest):
        f.add(codes.SCHEMA, item.line_of("sha256"), f"{where}: sha256 must be 64 hex digits")
        digest = None
    if None in (path, digest, size):
        return None
    return StoredFile(path, digest, size)


def _entry(f: Findings, clip_id: str, raw: Any, line: int, today: dt.date | None
           ) -> Entry | None:
    where = f"clips.{clip_id}"
    if not schema.is_mapping(f, raw, line, where):
        return None
    schema.unknown_keys(f, raw, _ENTRY_KEYS, where)
    ok = True
    if not _CLIP_ID.match(clip_id):
        f.add(codes.SCHEMA, line, f"{where}: a clip id is lower-case words joined by hyphens")
        ok = False
    digest = schema.text(f, raw, "hash", where)
    if digest is not None and not (digest.startswith("sha256:") and _HEX64.match(digest[7:])):
        f.add(codes.SCHEMA, raw.line_of("hash"), f"{where}: hash must be sha256: and 64 hex "
              "digits")
        ok = False
    endpoint = schema.text(f, raw, "endpoint", where)
    source = schema.choice(f, raw, "source", SOURCES, where)
    seed = schema.integer(f, raw, "seed", where, lo=0, hi=SEED_MAX, required=False)
    cost = schema.number(f, raw, "cost_usd", where, lo=0, hi=10_000)
    for key in ("request_id", "source_url"):
        if raw.get(key) is not None:
            ok = schema.text(f, raw, key, where) is not None and ok
    for key in ("request_id", "seed", "source_url"):
        if key not in raw:
            f.add(codes.SCHEMA, raw.line, f"{where}: missing field '{key}' (null when none)")
            ok = False
    rendered_text = schema.text(f, raw, "rendered", where)
    rendered = None
    if rendered_text is not None:
        try:
            rendered = dt.date.fromisoformat(rendered_text)
        except ValueError:
            f.add(codes.BAD_DATE, raw.line_of("rendered"), f"{where}: rendered "
                  f"{rendered_text!r} is not a date written YYYY-MM-DD")
        else:
            if today is not None and rendered > today:
                f.add(codes.FUTURE_DATE, raw.line_of("rendered"), f"{where}: rendered "
                      f"{rendered} is in the future (today is {today})")
    files_raw = schema.mapping(f, raw, "files", where)
    files: dict[str, StoredFile] = {}
    if files_raw is not None:
        schema.unknown_keys(f, files_raw, FILE_ROLES, f"{where}.files")
        for role in FILE_ROLES:
            if role not in files_raw:
                f.add(codes.SCHEMA, files_raw.line, f"{where}.files: missing '{role}'")
                ok = False
                continue
            stored = _stored_file(f, files_raw[role], files_raw.line_of(role),
                                  f"{where}.files.{role}")
            if stored is None:
                ok = False
            else:
                files[role] = stored
    rejected = raw.get("rejected")
    if rejected is not None and not isinstance(rejected, dict):
        f.add(codes.SCHEMA, raw.line_of("rejected"), f"{where}: rejected must be an object")
        ok = False
    if not ok or None in (digest, endpoint, source, cost, rendered, files_raw):
        return None
    return Entry(digest, endpoint, source, raw.get("request_id"), seed, float(cost),
                 rendered_text, raw.get("source_url"), files,
                 dict(rejected) if isinstance(rejected, dict) else None)


def validate_manifest(text: str, f: Findings, today: dt.date | None = None
                      ) -> Manifest | None:
    """The manifest in ``text``; every finding (with its line) goes to ``f``."""
    data = _read_json(text, f)
    if data is None or not schema.is_mapping(f, data, 1, "the manifest"):
        return None
    schema.unknown_keys(f, data, ("version", "clips"))
    version = data.get("version")
    if version != VERSION or isinstance(version, bool):
        f.add(codes.SCHEMA, data.line_of("version"), f"version must be {VERSION}, "
              f"got {version!r}")
    clips = schema.mapping(f, data, "clips")
    entries: dict[str, Entry] = {}
    for clip_id, raw in (clips or {}).items():
        entry = _entry(f, str(clip_id), raw, clips.line_of(clip_id), today)
        if entry is not None:
            entries[str(clip_id)] = entry
    if f.blocking or clips is None:
        return None
    return Manifest(f.path, entries)


def parse_manifest(text: str, path: Path, today: dt.date | None = None) -> Manifest:
    f = Findings(path)
    return f.result(validate_manifest(text, f, today))


def load_manifest(root: Path) -> Manifest:
    """The manifest, or an empty one when the file does not exist yet."""
    path = root / MANIFEST_FILE
    if not path.exists():
        return Manifest(path)
    return parse_manifest(read_text(path), path)


def save_manifest(manifest: Manifest) -> None:
    text = json.dumps(manifest.as_json(), indent=2, sort_keys=False) + "\n"
    write_atomic(manifest.path, text,
                 verify=lambda tmp: parse_manifest(tmp.read_text(encoding="utf-8"), tmp))
