"""gallery/manifest.json: what is rendered and installed, per clip.

For each clip id: the hash of its endpoint and inputs, ``source`` (``fal`` or
``placeholder``), the fal ``request_id``, the ``seed`` fal returned, the
estimated ``cost_usd``, the ``rendered`` date, the ``source_url`` fal gave,
and ``files``: the web rendition and the poster, each with its path (relative
to the repository), ``sha256`` and size in ``bytes``. A clip the content
policy turned down keeps its previous media and gets a ``rejected`` record.

Writes are atomic: a temporary file in the same folder is written, read back
and validated, then renamed over the manifest. A crash leaves either the old
manifest or the new one, never a torn file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import ContentError, Diagnostic, display_path

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


def _bad(path: Path, message: str, line: int = 1, column: int = 1) -> ContentError:
    return ContentError(Diagnostic(display_path(path), line, column, "SP007", message))


def _entry(path: Path, clip_id: str, raw: Any) -> Entry:
    where = f"clips.{clip_id}"
    if not isinstance(raw, dict):
        raise _bad(path, f"{where} must be an object")
    kinds = {"hash": str, "endpoint": str, "source": str, "request_id": (str, type(None)),
             "seed": (int, type(None)), "cost_usd": (int, float), "rendered": str,
             "source_url": (str, type(None)), "files": dict}
    for key, kind in kinds.items():
        if key not in raw:
            raise _bad(path, f"{where}: missing '{key}'")
        if not isinstance(raw[key], kind) or isinstance(raw[key], bool):
            raise _bad(path, f"{where}: '{key}' has the wrong type")
    if raw["source"] not in SOURCES:
        raise _bad(path, f"{where}: source must be one of {', '.join(SOURCES)}")
    files: dict[str, StoredFile] = {}
    for role in FILE_ROLES:
        item = raw["files"].get(role)
        if (not isinstance(item, dict) or not isinstance(item.get("path"), str)
                or not isinstance(item.get("sha256"), str)
                or not isinstance(item.get("bytes"), int)):
            raise _bad(path, f"{where}: files.{role} needs path, sha256 and bytes")
        if Path(item["path"]).is_absolute() or ".." in Path(item["path"]).parts:
            raise _bad(path, f"{where}: files.{role}.path must stay inside the repository")
        files[role] = StoredFile(item["path"], item["sha256"], item["bytes"])
    rejected = raw.get("rejected")
    if rejected is not None and not isinstance(rejected, dict):
        raise _bad(path, f"{where}: rejected must be an object")
    return Entry(raw["hash"], raw["endpoint"], raw["source"], raw["request_id"], raw["seed"],
                 float(raw["cost_usd"]), raw["rendered"], raw["source_url"], files, rejected)


def parse_manifest(text: str, path: Path) -> Manifest:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise _bad(path, f"not valid JSON: {err.msg}", err.lineno, err.colno) from None
    if not isinstance(data, dict) or data.get("version") != VERSION \
            or not isinstance(data.get("clips"), dict):
        raise _bad(path, f"expected {{\"version\": {VERSION}, \"clips\": {{...}}}}")
    return Manifest(path, {cid: _entry(path, cid, raw) for cid, raw in data["clips"].items()})


def load_manifest(root: Path) -> Manifest:
    """The manifest, or an empty one when the file does not exist yet."""
    path = root / MANIFEST_FILE
    if not path.exists():
        return Manifest(path)
    return parse_manifest(path.read_text(encoding="utf-8"), path)


def write_atomic(path: Path, text: str, check=None) -> None:
    """Write ``text`` to ``path`` through a verified temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        written = Path(tmp).read_text(encoding="utf-8")
        if written != text:
            raise OSError(f"{tmp} did not read back as written")
        if check is not None:
            check(written)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_manifest(manifest: Manifest) -> None:
    text = json.dumps(manifest.as_json(), indent=2, sort_keys=False) + "\n"
    write_atomic(manifest.path, text, check=lambda t: parse_manifest(t, manifest.path))
