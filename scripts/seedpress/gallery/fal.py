"""The queue on fal: submit, poll, fetch the result, download. The only importer of
fal_client.

fal_client talks to ``https://$FAL_QUEUE_RUN_HOST`` (default queue.fal.run; the
variable is read when fal_client is first imported) and trusts the
certificates that httpx trusts, including ``SSL_CERT_FILE``. So the same code
runs against fal and against any server that speaks its queue protocol, such
as the fake one in tests/fakes/fal_server.py.

Errors become :class:`FalError` with a ``kind`` the refresh acts on:

- ``policy``: a content-policy rejection (likeness in the inputs, the output
  filter after a full render, the prompt filter); never retried blindly.
- ``invalid``: the inputs break the endpoint's schema (422).
- ``locked``: the account is locked (403); the whole run stops.
- ``auth``: the key is missing or refused (401); the whole run stops.
- ``transient``: 408, 409, 429, 5xx, dropped connections, timeouts: retried.
- ``gone``: the request id is unknown to fal (404).
- ``failed``: anything else.

The key comes from ``FAL_KEY`` in the environment, only; it is never printed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fal_client
import httpx

RETRYABLE_STATUS = {408, 409, 429, 500, 502, 503, 504}

ADVICE = {
    "image_url": "a reference image looks like a real person or a protected character: use an "
                 "AI-generated portrait or a cleared, identity-verified reference",
    "image_urls": "a reference image looks like a real person or a protected character: use "
                  "AI-generated portraits or cleared, identity-verified references",
    "generated_video": "the output filter stopped the finished render: try another seed, a "
                       "shorter duration or a looser prompt",
    "prompt": "the prompt filter fired: loosen the prompt (no real names, brands or "
              "trademarked characters)",
}


@dataclass
class FalError(Exception):
    kind: str
    message: str
    status: int | None = None
    loc: str | None = None
    reason: str | None = None
    detail: Any = field(default=None, repr=False)

    def __str__(self) -> str:
        return self.message

    @property
    def advice(self) -> str:
        if self.kind == "policy":
            return ADVICE.get(self.loc or "", "change the inputs before trying again")
        if self.kind == "locked":
            return ("the fal account is locked (often an exhausted balance): top it up at "
                    "fal.ai/dashboard/billing, then run the refresh again")
        if self.kind == "auth":
            return "set FAL_KEY to a valid key (in CI: the FAL_KEY repository secret)"
        if self.kind == "invalid":
            return "fix the clip's inputs in gallery/clips.yml"
        if self.kind == "transient":
            return "run the refresh again later; finished clips are kept"
        return "run the refresh again; if it keeps failing, check fal's status page"


def _policy_item(detail: Any) -> dict | None:
    if isinstance(detail, list):
        for item in detail:
            if isinstance(item, dict) and item.get("type") == "content_policy_violation":
                return item
    return None


def classify(exc: BaseException) -> FalError:
    """A fal_client or httpx error as a :class:`FalError`."""
    if isinstance(exc, FalError):
        return exc
    if isinstance(exc, fal_client.FalClientHTTPError):
        status = exc.status_code
        detail = exc.message
        item = _policy_item(detail)
        if item is not None:
            loc = item.get("loc") or []
            where = str(loc[-1]) if loc else "unknown"
            reason = ((item.get("ctx") or {}).get("extra_info") or {}).get("reason")
            return FalError("policy", f"content policy rejection at {where}"
                            f"{f' ({reason})' if reason else ''}: {item.get('msg', '')}".strip(),
                            status, where, reason, detail)
        text = detail if isinstance(detail, str) else _detail_text(detail)
        if status == 403:
            return FalError("locked", f"fal refused the request (403): {text}", status,
                            detail=detail)
        if status == 401:
            return FalError("auth", f"fal refused the key (401): {text}", status, detail=detail)
        if status == 422:
            return FalError("invalid", f"fal rejected the inputs (422): {text}", status,
                            detail=detail)
        if status == 404:
            return FalError("gone", f"fal does not know this request (404): {text}", status,
                            detail=detail)
        if status in RETRYABLE_STATUS:
            return FalError("transient", f"fal answered {status}: {text}", status,
                            detail=detail)
        return FalError("failed", f"fal answered {status}: {text}", status, detail=detail)
    if isinstance(exc, fal_client.FalClientTimeoutError):
        return FalError("transient", f"timed out: {exc}")
    if isinstance(exc, httpx.HTTPStatusError):
        status = exc.response.status_code
        kind = "transient" if status in RETRYABLE_STATUS else "failed"
        return FalError(kind, f"download answered {status}", status)
    if isinstance(exc, httpx.TransportError | httpx.TimeoutException | ConnectionError):
        return FalError("transient", f"connection problem: {type(exc).__name__}: {exc}")
    return FalError("failed", f"{type(exc).__name__}: {exc}")


def _detail_text(detail: Any) -> str:
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, dict):
                loc = ".".join(str(p) for p in item.get("loc", []) if p != "body")
                parts.append(f"{loc}: {item.get('msg')}" if loc else str(item.get("msg")))
        return "; ".join(parts) or str(detail)
    return str(detail)


@dataclass(frozen=True)
class Status:
    phase: str  # IN_QUEUE, IN_PROGRESS, COMPLETED
    position: int | None = None
    logs: tuple[str, ...] = ()
    error: str | None = None


class Queue:
    """fal's queue through fal_client, with the key from the environment."""

    def __init__(self) -> None:
        if not os.environ.get("FAL_KEY"):
            raise FalError("auth", "FAL_KEY is not set")
        self._client = fal_client.SyncClient()

    @staticmethod
    def host() -> str:
        from fal_client.auth import FAL_QUEUE_RUN_HOST

        return FAL_QUEUE_RUN_HOST

    def submit(self, endpoint: str, arguments: dict[str, Any]) -> str:
        try:
            return self._client.submit(endpoint, arguments=arguments).request_id
        except Exception as exc:  # noqa: BLE001 - every failure gets a kind
            raise classify(exc) from None

    def status(self, endpoint: str, request_id: str) -> Status:
        try:
            found = self._client.status(endpoint, request_id, with_logs=True)
        except Exception as exc:  # noqa: BLE001
            raise classify(exc) from None
        if isinstance(found, fal_client.Queued):
            return Status("IN_QUEUE", position=found.position)
        logs = tuple(str(e.get("message", "")) for e in (found.logs or []) if isinstance(e, dict))
        if isinstance(found, fal_client.Completed):
            return Status("COMPLETED", logs=logs, error=found.error)
        return Status("IN_PROGRESS", logs=logs)

    def result(self, endpoint: str, request_id: str) -> dict[str, Any]:
        try:
            return self._client.result(endpoint, request_id)
        except Exception as exc:  # noqa: BLE001
            raise classify(exc) from None

    def download(self, url: str, dest: Path, expected_bytes: int | None = None) -> int:
        """Stream ``url`` to ``dest``; returns the size. The URL is fal's CDN (or the
        fake server); no credentials are sent with it."""
        size = 0
        try:
            with httpx.stream("GET", url, timeout=httpx.Timeout(120, connect=30),
                              follow_redirects=True) as response:
                response.raise_for_status()
                with open(dest, "wb") as handle:
                    for chunk in response.iter_bytes(1 << 16):
                        handle.write(chunk)
                        size += len(chunk)
        except Exception as exc:  # noqa: BLE001
            raise classify(exc) from None
        if expected_bytes and size != expected_bytes:
            raise FalError("transient", f"download was {size} bytes, fal said {expected_bytes}")
        return size
