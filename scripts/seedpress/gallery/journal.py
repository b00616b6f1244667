"""The request journal: which fal request belongs to which clip.

A refresh writes ``gallery/.journal/<clip-id>.json`` right after fal accepts
a submission and before it waits for the render. A run that is killed and
started again finds the request id there and polls that request instead of
submitting (and paying) again. The entry is removed once the clip is
installed or the request has ended for good. The folder is git-ignored.

A kill in the moment between sending a submission and receiving its request
id cannot be recovered (fal has not told us the id yet): the entry then says
``submitting`` and the next run warns that one render may have been billed
without reaching us.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..writer import write_atomic

JOURNAL_DIR = Path("gallery") / ".journal"


@dataclass
class Record:
    clip: str
    hash: str
    endpoint: str
    request_id: str | None  # None while the submission is in flight
    submitted: str  # ISO timestamp


class Journal:
    def __init__(self, root: Path):
        self.dir = root / JOURNAL_DIR

    def _path(self, clip_id: str) -> Path:
        return self.dir / f"{clip_id}.json"

    def get(self, clip_id: str) -> Record | None:
        path = self._path(clip_id)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return Record(**data)
        except FileNotFoundError:
            return None
        except (ValueError, TypeError):
            # A torn or foreign file: forget it rather than stop the run.
            path.unlink(missing_ok=True)
            return None

    def put(self, record: Record) -> None:
        write_atomic(self._path(record.clip), json.dumps(asdict(record), indent=2) + "\n")

    def drop(self, clip_id: str) -> None:
        self._path(clip_id).unlink(missing_ok=True)

    def records(self) -> list[Record]:
        if not self.dir.is_dir():
            return []
        found = []
        for path in sorted(self.dir.glob("*.json")):
            record = self.get(path.stem)
            if record is not None:
                found.append(record)
        return found
