"""A fake fal queue server: real HTTPS on 127.0.0.1 for the unmodified fal_client.

It speaks the queue protocol as fal-client 1.0.3 uses it (see FACTS.md, "The fal
queue protocol"):

- ``POST /{owner}/{alias}/{path}[?fal_webhook=URL]`` submits; the answer carries
  ``request_id``, ``response_url``, ``status_url`` and ``cancel_url``, which point
  at ``/{owner}/{alias}/requests/{id}`` like fal's (the sub-path is dropped).
- ``GET .../requests/{id}/status?logs=true|false|1|0``: ``IN_QUEUE`` (with
  ``queue_position``), then ``IN_PROGRESS`` and ``COMPLETED`` with ``logs``.
  How a job moves on is the ``pace``: ``"clock"`` (the default) follows the
  wall clock, a render taking ``render_seconds``; ``"polls"`` follows the
  client's status polls, a job answering ``IN_PROGRESS`` until its
  ``polls_to_finish``-th poll and ``COMPLETED`` from then on, so a test
  never races the clock.
  :meth:`FakeFal.complete` finishes a job at once in either pace.
- ``GET .../requests/{id}``: the result, ``{"video": {...}, "seed": n}``; the
  video URL points back at this server (``/files/...``) and serves a real MP4
  made by ffmpeg at the asked duration, frame size and audio setting.
- ``PUT .../requests/{id}/cancel``: 202 ``CANCELLATION_REQUESTED``, 400
  ``ALREADY_COMPLETED`` or 404 ``NOT_FOUND``.
- Input validation against the Seedance 2.0 schema answers 422 with fal's
  ``{"detail": [{"loc", "msg", "type"}]}`` list. Nothing in the input is fetched:
  image, video and audio URLs are only checked for shape.
- Webhooks: a submit with ``fal_webhook`` is recorded in ``webhooks``; the body
  is POSTed only when the URL is on 127.0.0.1 or localhost (tests never leave
  loopback), once, in its own thread, when a status poll first sees the
  request ``COMPLETED`` (:meth:`FakeFal.wait_for_deliveries` waits for those
  sends to end). Webhook faults send it twice, spoil its signature, or hold
  it back until :meth:`FakeFal.flush_webhooks`.
  Deliveries are signed as fal signs them (FACTS.md, "Verifying a webhook"):
  the headers ``X-Fal-Webhook-Request-Id``, ``X-Fal-Webhook-User-Id`` (a fixed
  fake user), ``X-Fal-Webhook-Timestamp`` and ``X-Fal-Webhook-Signature``, an
  Ed25519 signature in hex over the four lines request id, user id, timestamp
  and the hex SHA-256 of the raw body. The body is compact JSON, so a receiver
  that hashes re-serialised JSON instead of the raw bytes fails.
- ``GET /.well-known/jwks.json`` (no key needed) serves the public keys as a
  JWKS: each ``x`` is base64url without padding. The signing key is made fresh
  for each :class:`FakeFal` and lives only in memory; the set also lists a
  retired key that signs nothing, so a receiver must try every key.
- Tests of a receiver call :meth:`FakeFal.deliver` to deliver a webhook now,
  well signed or spoiled in one way (tampered body, stale timestamp, missing
  header, another key), and :meth:`FakeFal.replay` to send a delivery again
  byte for byte. Every POST is recorded in ``deliveries`` with the answer
  (None: the receiver closed the connection without answering).

What it records, for tests that assert properties rather than output:
``submissions`` (every accepted submit, in order, with its ``seq``),
``submit_attempts`` (every POST to an endpoint, refused or not, with its
arguments and the status it got), and per job (``jobs``) its status polls,
its result GETs and how many of them answered 200 with a video, the
downloads of its file, and ``completed_seq``: the point in the same sequence
at which a client first saw the job ``COMPLETED`` (a status poll or a result
GET after it finished), so "nothing was submitted again after its render
completed" can be checked.

Faults are injected with :meth:`FakeFal.inject` (see :class:`Fault`): per
request (a status or a timeout on submit, status or result), per job (a
content-policy block, a render error, a result without ``video`` or one
that never comes back, a slow render, a webhook spoiled or held back) or on
the key set (not JSON, or holding keys that are not Ed25519). The server never stores or prints the
``Authorization`` value; it only counts requests that carried one.

Run it standalone for demos: ``python tests/fakes/fal_server.py --port 0``
prints the environment a client needs.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import itertools
import json
import re
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ENDPOINTS = {
    "bytedance/seedance-2.0/text-to-video": "text",
    "bytedance/seedance-2.0/image-to-video": "image",
    "bytedance/seedance-2.0/reference-to-video": "reference",
    "bytedance/seedance-2.0/fast/text-to-video": "text",
    "bytedance/seedance-2.0/fast/image-to-video": "image",
    "bytedance/seedance-2.0/fast/reference-to-video": "reference",
}

#: (width, height) by resolution and aspect ratio, from FACTS.md.
FRAME_SIZES = {
    "480p": {"21:9": (992, 432), "16:9": (864, 496), "4:3": (752, 560), "1:1": (640, 640),
             "3:4": (560, 752), "9:16": (496, 864)},
    "720p": {"21:9": (1470, 630), "16:9": (1280, 720), "4:3": (1112, 834), "1:1": (960, 960),
             "3:4": (834, 1112), "9:16": (720, 1280)},
}
DURATIONS = ["auto"] + [str(n) for n in range(4, 16)]
ASPECT_RATIOS = ["auto", "21:9", "16:9", "4:3", "1:1", "3:4", "9:16"]
COMMON_FIELDS = {"prompt", "duration", "resolution", "aspect_ratio", "generate_audio", "seed"}
EXTRA_FIELDS = {
    "text": set(),
    "image": {"image_url", "end_image_url"},
    "reference": {"image_urls", "video_urls", "audio_urls"},
}
POLICY_LOCS = ("image_url", "image_urls", "generated_video", "prompt")
#: Each fault's kind and the requests it can hit (the first is the default ``on``).
FAULT_SCOPES: dict[str, tuple[str, ...]] = {
    # per job: chosen when a matching submit is accepted
    "content_policy": ("submit",),
    "render_error": ("submit",),
    "no_video": ("submit",),
    "unfetchable": ("submit",),
    "slow": ("submit",),
    "webhook_twice": ("submit",),
    "webhook_late": ("submit",),
    "webhook_out_of_order": ("submit",),
    "webhook_bad_signature": ("submit",),
    # per request
    "locked": ("submit", "status", "result"),
    "unauthorized": ("submit", "status", "result"),  # a key fal does not take (rotated)
    "server_error": ("submit", "status", "result"),
    "unavailable": ("submit", "status", "result"),  # a 503 from fal, not a proxy's page
    "start_ran_out": ("submit", "status", "result"),  # a 504 naming a timeout's type
    "gone": ("status", "result"),  # a 410 fal documents on neither call: unreadable to us
    "garbled": ("submit", "result"),  # a 200 whose body is not JSON: no client can read it
    "rate_limit": ("any", "submit", "status", "result"),
    "request_timeout": ("any", "submit", "status", "result"),
    "conflict": ("any", "submit", "status", "result"),
    "drop": ("any", "submit", "status", "result"),
    "timeout": ("submit", "status", "result"),
    "gate": ("status", "result", "submit"),  # held until the test lets it go
    # the key set
    "jwks_not_json": ("jwks",),
    "jwks_not_ed25519": ("jwks",),
}
FAULT_KINDS = tuple(FAULT_SCOPES)
JOB_FAULTS = {kind for kind, scope in FAULT_SCOPES.items()
              if scope == ("submit",)} - {"locked", "unauthorized"}
#: The status, detail and error type of the request faults that answer at once.
ANSWERS = {
    "locked": (403, "User is locked. Reason: Exhausted balance. Top up your balance at "
                    "fal.ai/dashboard/billing.", "user_locked"),
    "unauthorized": (401, "Missing or invalid credentials; set FAL_KEY", "unauthorized"),
    "server_error": (500, "Internal server error", None),
    "unavailable": (503, "Service temporarily unavailable", None),
    "start_ran_out": (504, "Request timed out", None),
    "gone": (410, "Gone", None),
    "rate_limit": (429, "Too many requests", "rate_limited"),
    "request_timeout": (408, "Request timeout", "request_timeout"),
    "conflict": (409, "Conflict: the request is being updated", "conflict"),
}
#: How long a ``timeout`` fault holds a request at most, unless it says otherwise;
#: the client's own timeout has to be shorter (tests shorten fal_client's).
HANG_SECONDS = 10.0
#: How long a ``gate`` fault holds a request at most when the test never lets it go.
GATE_SECONDS = 30.0
JWKS_PATH = "/.well-known/jwks.json"
#: The user id every delivery carries (fal sends the account's id).
WEBHOOK_USER_ID = "fake-user-0001"
WEBHOOK_HEADERS = ("X-Fal-Webhook-Request-Id", "X-Fal-Webhook-User-Id",
                   "X-Fal-Webhook-Timestamp", "X-Fal-Webhook-Signature")


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, ssl.SSLError)):
            return  # a client that hung up (a timeout fault, a cancelled poll)
        super().handle_error(request, client_address)


@dataclass
class Fault:
    """One injected failure.

    kind, per job (a matching submit is accepted, and the job carries it):
      ``content_policy``: the job completes, then its result GET answers 422
        ``content_policy_violation`` at ``loc`` (``image_url``, ``image_urls``,
        ``generated_video`` or ``prompt``), with ``ctx.extra_info.reason``
        ``partner_validation_failed``;
      ``render_error``: the job's status is ``COMPLETED`` with ``error`` and
        ``error_type`` set, and its result GET answers 500 with them (the
        ``X-Fal-Error-Type`` header too), or, with ``video``, 200 with a video
        anyway (fal does not say that cannot happen), or, with ``invalid``, 422
        with a validation error for an input (a runner that checks its inputs);
      ``no_video``: the job completes and its result GET answers 200 without
        ``video``;
      ``unfetchable``: the job completes and its result GET always answers a
        plain 500 (a finished render whose result never comes back);
      ``slow``: the job renders for ``seconds`` instead of the default (the
        clock pace) or needs ``polls`` status polls (the polls pace);
      ``webhook_twice``: its webhook is POSTed twice, byte for byte;
      ``webhook_late``: its webhook is held until :meth:`FakeFal.flush_webhooks`;
      ``webhook_out_of_order``: held like a late one, and flushed newest first;
      ``webhook_bad_signature``: its webhook is signed by a key the JWKS does
        not list.
    kind, per request (``on`` says which: ``submit``, ``status``, ``result``, or
    ``any`` queue request):
      ``locked``: 403 with a flat ``detail`` (account locked), on a submit by
        default, or on a status poll or a result GET;
      ``unauthorized``: 401, a key fal does not take (rotated between two runs);
      ``server_error``: a plain 500 (on a submit by default);
      ``unavailable``: a 503 that fal itself sends (no proxy's page, so fal_client does
        not try it again);
      ``start_ran_out``: a 504 with ``X-Fal-Request-Timeout-Type``, which fal_client
        1.0.3 reads as the end of a timeout the caller set and never tries again;
      ``rate_limit``, ``request_timeout``, ``conflict``: 429, 408 and 409, which
        fal_client retries by itself up to 10 times (any request by default);
      ``drop``: the connection is closed without an answer;
      ``timeout``: the request is held, unanswered, for ``seconds`` (default
        ``HANG_SECONDS``), past the client's own timeout, then closed; a held
        submit queues nothing;
      ``gate``: the request is held until the test calls :meth:`Fault.release`
        (or ``seconds``, default ``GATE_SECONDS``, pass), then answered as the
        request fault ``then`` would answer it, or by the protocol when ``then``
        is empty. A test uses it to put two of the client's calls in a known
        order.
    kind, on the key set (``GET /.well-known/jwks.json``):
      ``jwks_not_json``: an HTML page instead of JSON;
      ``jwks_not_ed25519``: the set holds an RSA key and an EC P-256 key ahead
        of the Ed25519 keys.

    ``count`` is how many times it fires (-1: always); ``after`` how many
    matching requests (or jobs) it lets through first. ``match`` is a substring
    of the prompt that selects requests and jobs (empty: every one).
    """

    kind: str
    count: int = 1
    match: str = ""
    loc: str = "generated_video"
    seconds: float = 0.0
    polls: int = 0
    on: str = ""
    after: int = 0
    error: str = "Runner disconnected while rendering"
    video: bool = False
    invalid: bool = False
    error_type: str = "runner_disconnected"
    #: a gate's answer once let go: a request fault's kind, or "" for the protocol's
    then: str = ""
    #: how many times it has fired (tests read it to know it was reached)
    fired: int = 0
    released: threading.Event = field(default_factory=threading.Event, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; one of {', '.join(FAULT_KINDS)}")
        if self.kind == "content_policy" and self.loc not in POLICY_LOCS:
            raise ValueError(f"unknown loc {self.loc!r}; one of {', '.join(POLICY_LOCS)}")
        if self.then and (self.kind != "gate" or self.then not in ANSWERS | {
                "drop": 0, "timeout": 0}):
            raise ValueError(f"then= is for a gate, and names drop, timeout or one of "
                             f"{', '.join(ANSWERS)}, not {self.then!r}")
        scope = FAULT_SCOPES[self.kind]
        self.on = self.on or scope[0]
        if self.on not in scope:
            raise ValueError(f"a {self.kind} fault hits {' or '.join(scope)}, not {self.on!r}")

    def release(self) -> None:
        """Let a ``gate`` fault's held request go on."""
        self.released.set()

    def hits(self, on: str) -> bool:
        """Whether it may answer a request of this kind (``cancel`` counts as any)."""
        return self.on == on or (self.on == "any" and on != "jwks")


@dataclass
class Job:
    request_id: str
    endpoint: str
    app: str  # owner/alias, the prefix of the request URLs
    arguments: dict[str, Any]
    submitted: float
    render_seconds: float
    #: the polls pace: the status poll from which the job answers COMPLETED
    polls_needed: int | None = None
    webhook_url: str | None = None
    policy_loc: str | None = None
    #: (error, error_type) of a render that failed: COMPLETED with ``error``
    error: tuple[str, str] | None = None
    #: a failed render whose result GET still answers 200 with a video
    error_with_video: bool = False
    error_invalid: bool = False
    no_video: bool = False
    unfetchable: bool = False
    #: webhook faults this job carries (twice, late, out_of_order, bad_signature)
    webhook_faults: set[str] = field(default_factory=set)
    cancelled: bool = False
    #: a status word fal does not document (say "CANCELLED"), answered instead of the phase
    status_word: str | None = None
    #: cancel requests it was sent
    cancels: int = 0
    #: finished by :meth:`FakeFal.complete` (or a delivery) whatever the pace
    finished: bool = False
    seed: int = 0
    seq: int = 0
    #: status polls answered (a poll a fault answered does not move the job on)
    status_polls: int = 0
    #: result GETs, those a fault answered included
    result_fetches: int = 0
    #: result GETs answered 200 with a video
    results_served: int = 0
    #: when a client first saw it COMPLETED, in the order of ``FakeFal.submissions``
    completed_seq: int | None = None
    #: GETs of its video file
    downloads: int = 0
    #: its file's address answers 404, as an expired CDN URL would
    file_gone: bool = False
    webhook_sent: bool = False
    #: when each log line first appeared: a line keeps its timestamp on every status
    log_stamps: dict[str, str] = field(default_factory=dict)
    #: log lines already sent on a status (the ``new_lines_only`` log pace reads it)
    logs_served: int = 0

    def phase(self, now: float) -> str:
        if self.cancelled or self.finished:
            return "COMPLETED"
        if self.polls_needed is not None:
            if self.status_polls >= self.polls_needed:
                return "COMPLETED"
            return "IN_QUEUE" if self.status_polls == 0 else "IN_PROGRESS"
        elapsed = now - self.submitted
        if elapsed < self.render_seconds * 0.2:
            return "IN_QUEUE"
        if elapsed < self.render_seconds:
            return "IN_PROGRESS"
        return "COMPLETED"

    def progress(self, now: float) -> float:
        if self.cancelled or self.finished:
            return 1.0
        if self.polls_needed is not None:
            return min(1.0, self.status_polls / max(self.polls_needed, 1))
        return 1.0 if self.render_seconds <= 0 else (now - self.submitted) / self.render_seconds

    @property
    def deliverable(self) -> bool:
        """Whether its render ends in a video a client can fetch (no block, no error)."""
        return not (self.policy_loc or self.error or self.no_video or self.unfetchable
                    or self.cancelled)

    def logs(self, now: float) -> list[dict[str, Any]]:
        done = self.progress(now)
        steps = [(0.2, "Starting render"), (0.5, "Rendering frames"),
                 (0.8, "Mixing audio" if self.arguments.get("generate_audio", True)
                  else "Encoding video"), (1.0, "Render finished")]
        lines = [msg for frac, msg in steps if done >= frac]
        for msg in lines:  # stamped when it first appears, and kept
            self.log_stamps.setdefault(msg, time.strftime("%Y-%m-%dT%H:%M:%S.", time.gmtime())
                                       + f"{len(self.log_stamps):06d}")
        return [{"message": msg, "level": "INFO", "source": "user",
                 "timestamp": self.log_stamps[msg]} for msg in lines]



def _detail(loc: list[Any], msg: str, type_: str, ctx: dict | None = None) -> dict:
    item: dict[str, Any] = {"loc": loc, "msg": msg, "type": type_}
    if ctx:
        item["ctx"] = ctx
    return item


_URL = re.compile(r"^(https?://\S+|data:[\w/+.-]+;base64,)")


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and bool(_URL.match(value))


def validate(kind: str, args: Any) -> list[dict]:
    """fal-style 422 details for ``args`` on an endpoint of ``kind``; empty when valid."""
    if not isinstance(args, dict):
        return [_detail(["body"], "Input should be a valid dictionary", "dict_type")]
    errors: list[dict] = []
    allowed = COMMON_FIELDS | EXTRA_FIELDS[kind]
    for key in args:
        if key not in allowed:
            errors.append(_detail(["body", key], "Extra inputs are not permitted",
                                  "extra_forbidden"))
    prompt = args.get("prompt")
    if prompt is None:
        errors.append(_detail(["body", "prompt"], "Field required", "missing"))
    elif not isinstance(prompt, str) or not prompt.strip():
        errors.append(_detail(["body", "prompt"], "Input should be a non-empty string",
                              "string_type"))
    enums = {"duration": DURATIONS, "resolution": list(FRAME_SIZES),
             "aspect_ratio": ASPECT_RATIOS}
    for key, values in enums.items():
        if key in args:
            value = args[key]
            # fal's schema is a string enum; pydantic accepts the int 5 for "5" in lax mode.
            if key == "duration" and isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            if value not in values:
                errors.append(_detail(["body", key], "Input should be "
                                      + ", ".join(repr(v) for v in values), "enum",
                                      {"expected": ", ".join(repr(v) for v in values)}))
    if "generate_audio" in args and not isinstance(args["generate_audio"], bool):
        errors.append(_detail(["body", "generate_audio"], "Input should be a valid boolean",
                              "bool_type"))
    if "seed" in args and args["seed"] is not None and (
            not isinstance(args["seed"], int) or isinstance(args["seed"], bool)):
        errors.append(_detail(["body", "seed"], "Input should be a valid integer", "int_type"))
    if kind == "image":
        if "image_url" not in args:
            errors.append(_detail(["body", "image_url"], "Field required", "missing"))
        for key in ("image_url", "end_image_url"):
            if key in args and not _is_url(args[key]):
                errors.append(_detail(["body", key], "Input should be a valid URL", "url_parsing"))
    if kind == "reference":
        limits = {"image_urls": 9, "video_urls": 3, "audio_urls": 3}
        total = 0
        for key, most in limits.items():
            value = args.get(key, [])
            if not isinstance(value, list):
                errors.append(_detail(["body", key], "Input should be a valid list", "list_type"))
                continue
            total += len(value)
            if len(value) > most:
                errors.append(_detail(["body", key], f"List should have at most {most} items",
                                      "too_long", {"max_length": most}))
            for i, url in enumerate(value):
                if not _is_url(url):
                    errors.append(_detail(["body", key, i], "Input should be a valid URL",
                                          "url_parsing"))
        if total > 12:
            errors.append(_detail(["body"], "At most 12 reference files in all", "value_error"))
        if args.get("audio_urls") and not (args.get("image_urls") or args.get("video_urls")):
            errors.append(_detail(["body", "audio_urls"],
                                  "Audio references need at least one image or video reference",
                                  "value_error"))
    return errors


def frame_size(args: dict[str, Any]) -> tuple[int, int]:
    resolution = args.get("resolution", "720p")
    aspect = args.get("aspect_ratio", "auto")
    if aspect == "auto":
        aspect = "16:9"
    return FRAME_SIZES[resolution][aspect]


def duration_of(args: dict[str, Any]) -> int:
    value = str(args.get("duration", "auto"))
    return 5 if value == "auto" else int(value)


class MediaCache:
    """Real MP4 files made with ffmpeg, one per (width, height, seconds, audio)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._lock = threading.Lock()

    def path(self, width: int, height: int, seconds: int, audio: bool) -> Path:
        name = f"{width}x{height}-{seconds}s-{'a' if audio else 'n'}.mp4"
        out = self.directory / name
        with self._lock:
            if not out.exists():
                self._make(out, width, height, seconds, audio)
        return out

    @staticmethod
    def _make(out: Path, width: int, height: int, seconds: int, audio: bool) -> None:
        cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
               "-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate=4:duration={seconds}"]
        if audio:
            cmd += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=44100:duration={seconds}"]
        cmd += ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "45", "-pix_fmt", "yuv420p"]
        if audio:
            cmd += ["-c:a", "aac", "-b:a", "24k"]
        tmp = out.with_suffix(".part.mp4")
        cmd += ["-movflags", "+faststart", "-t", str(seconds), str(tmp)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)
        tmp.replace(out)


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost (made with openssl)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign"],
        check=True, capture_output=True, timeout=60,
    )
    key.chmod(0o600)
    return cert, key


def reserve_socket() -> socket.socket:
    """A listening socket on 127.0.0.1 with a free port, for a server started later."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


class FakeFal:
    """The server and its state. Start with :meth:`start`, stop with :meth:`stop`."""

    def __init__(self, workdir: Path, *, render_seconds: float = 0.3,
                 sock: socket.socket | None = None):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.default_render_seconds = render_seconds
        self.media = MediaCache(self.workdir / "media")
        self.media.directory.mkdir(exist_ok=True)
        self.cert, self.key = make_certificate(self.workdir)
        # Webhook signing: a fresh key per instance, in memory only. The JWKS also
        # lists a retired key that signs nothing, as a key set does during a rotation.
        self.signing_key = Ed25519PrivateKey.generate()
        self._retired_key = Ed25519PrivateKey.generate().public_key()
        self._sock = sock or reserve_socket()
        self.port = self._sock.getsockname()[1]
        self.lock = threading.RLock()
        #: notified when a webhook send in its own thread has finished
        self._sent = threading.Condition(self.lock)
        self._sending = 0
        self._released = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.reset()

    # -- state -------------------------------------------------------------
    def reset(self) -> None:
        """Forget every request, fault and counter (between tests); let go of held requests."""
        with self.lock:
            self._released.set()  # a request a timeout fault holds ends now
            self._released = threading.Event()
            self.jobs: dict[str, Job] = {}
            self.faults: list[Fault] = []
            self.submissions: list[dict[str, Any]] = []
            self.submit_attempts: list[dict[str, Any]] = []
            self.webhooks: list[dict[str, Any]] = []
            self.deliveries: list[dict[str, Any]] = []
            self.held: list[dict[str, Any]] = []
            self.jwks_fetches = 0
            self.requests_seen = 0
            self.unauthorized = 0
            self.render_seconds = self.default_render_seconds
            self.pace = "clock"
            self.polls_to_finish = 2
            #: whether a cancelled job then reports COMPLETED (fal does not say)
            self.cancel_completes = True
            #: whether a status brings only the log lines not sent before (fal does not
            #: say whether it repeats the whole log; by default it does)
            self.new_lines_only = False
            self._seq = itertools.count(1)

    def inject(self, kind: str | Fault, **kwargs: Any) -> Fault:
        """Add a fault: ``inject("locked")`` or ``inject(Fault("content_policy", ...))``."""
        fault = kind if isinstance(kind, Fault) else Fault(kind, **kwargs)
        with self.lock:
            self.faults.append(fault)
        return fault

    def complete(self, request_id: str) -> None:
        """Finish a job now, whatever the pace (its next status poll says COMPLETED)."""
        with self.lock:
            self.jobs[request_id].finished = True

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"https://{self.host}"

    @property
    def jwks_url(self) -> str:
        return self.base_url + JWKS_PATH

    def environ(self, key: str = "fake-key-for-tests") -> dict[str, str]:
        """The environment a fal_client process needs to talk to this server."""
        return {
            "FAL_KEY": key,
            "FAL_QUEUE_RUN_HOST": self.host,
            "FAL_RUN_HOST": self.host,
            "SSL_CERT_FILE": str(self.cert),
            # where a webhook receiver (the render-queue guide's) fetches the keys
            "FAL_WEBHOOK_JWKS_URL": self.jwks_url,
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts this server's certificate."""
        return ssl.create_default_context(cafile=str(self.cert))

    def submission_count(self, prompt_part: str = "") -> int:
        """Accepted submits whose prompt contains ``prompt_part``."""
        with self.lock:
            return sum(1 for s in self.submissions if prompt_part in _prompt(s["arguments"]))

    def attempt_count(self, prompt_part: str = "") -> int:
        """Submit POSTs whose prompt contains ``prompt_part``, refused ones included."""
        with self.lock:
            return sum(1 for s in self.submit_attempts if prompt_part in s["prompt"])

    def _take(self, kind: str, prompt: str | None = None, on: str = "submit") -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.kind != kind or fault.count == 0 or not fault.hits(on):
                    continue
                if fault.match and (prompt is None or fault.match not in prompt):
                    continue
                if fault.after > 0:
                    fault.after -= 1
                    continue
                if fault.count > 0:
                    fault.count -= 1
                fault.fired += 1
                return fault
        return None

    def request_fault(self, on: str, prompt: str | None) -> Fault | None:
        """The per-request fault that answers this request instead of the protocol."""
        for kind in ("gate", "drop", "timeout", "rate_limit", "request_timeout", "conflict",
                     "locked", "unauthorized", "server_error", "unavailable",
                     "start_ran_out", "gone", "garbled"):
            if on in FAULT_SCOPES[kind] or "any" in FAULT_SCOPES[kind]:
                fault = self._take(kind, prompt, on)
                if fault is not None:
                    return fault
        return None

    def _observe(self, job: Job) -> None:
        """A client asked about ``job``: once it has finished, remember when it first saw so."""
        with self.lock:
            if job.completed_seq is None and job.phase(time.monotonic()) == "COMPLETED":
                job.completed_seq = next(self._seq)

    # -- lifecycle ---------------------------------------------------------
    def start(self) -> FakeFal:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert, self.key)
        handler = type("Handler", (_Handler,), {"fake": self})
        httpd = _Server(("127.0.0.1", self.port), handler, bind_and_activate=False)
        httpd.socket.close()
        httpd.socket = ctx.wrap_socket(self._sock, server_side=True,
                                       do_handshake_on_connect=False)
        httpd.daemon_threads = True
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-fal", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._released.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeFal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def hold(self, seconds: float) -> None:
        """Keep a request unanswered (a ``timeout`` fault) until ``seconds`` pass or a reset."""
        with self.lock:
            released = self._released
        released.wait(seconds)

    # -- protocol ----------------------------------------------------------
    def submit(self, app_path: str, args: Any, webhook: str | None) -> tuple[int, dict]:
        kind = ENDPOINTS.get(app_path)
        if kind is None:
            return 404, {"detail": f"Application '{app_path}' not found",
                         "error_type": "application_not_found"}
        errors = validate(kind, args)
        if errors:
            return 422, {"detail": errors}
        prompt = args.get("prompt", "")
        taken = {k: self._take(k, prompt) for k in sorted(JOB_FAULTS)}
        slow, policy, error = taken["slow"], taken["content_policy"], taken["render_error"]
        rid = str(uuid.uuid4())
        owner, alias = app_path.split("/")[:2]
        seed = args.get("seed")
        polls = None
        if self.pace == "polls":
            polls = slow.polls if slow and slow.polls else self.polls_to_finish
        job = Job(
            request_id=rid, endpoint=app_path, app=f"{owner}/{alias}", arguments=args,
            submitted=time.monotonic(),
            render_seconds=slow.seconds if slow else self.render_seconds,
            polls_needed=polls,
            webhook_url=webhook, policy_loc=policy.loc if policy else None,
            error=(error.error, error.error_type) if error else None,
            error_with_video=bool(error and error.video),
            error_invalid=bool(error and error.invalid),
            no_video=taken["no_video"] is not None,
            unfetchable=taken["unfetchable"] is not None,
            webhook_faults={k.removeprefix("webhook_") for k, f in taken.items()
                            if f is not None and k.startswith("webhook_")},
            seed=seed if isinstance(seed, int) else int(uuid.UUID(rid).int % 2**31),
        )
        with self.lock:
            job.seq = next(self._seq)
            self.jobs[rid] = job
            self.submissions.append({"request_id": rid, "endpoint": app_path,
                                     "arguments": args, "webhook_url": webhook,
                                     "seq": job.seq})
            if webhook:
                self.webhooks.append({"request_id": rid, "url": webhook, "delivered": False})
        base = f"{self.base_url}/{job.app}/requests/{rid}"
        return 200, {"status": "IN_QUEUE", "request_id": rid, "response_url": base,
                     "status_url": base + "/status", "cancel_url": base + "/cancel",
                     "queue_position": len(self._active()) - 1}

    def _active(self) -> list[Job]:
        now = time.monotonic()
        return [j for j in self.jobs.values() if j.phase(now) != "COMPLETED"]

    def status(self, job: Job, with_logs: bool) -> dict:
        now = time.monotonic()
        with self.lock:
            job.status_polls += 1
            phase = job.phase(now)
        self._observe(job)
        base = f"{self.base_url}/{job.app}/requests/{job.request_id}"
        body: dict[str, Any] = {"status": phase, "request_id": job.request_id,
                                "response_url": base, "status_url": base + "/status",
                                "cancel_url": base + "/cancel"}
        if phase == "IN_QUEUE":
            queued = sorted((j for j in self._active() if j.phase(now) == "IN_QUEUE"),
                            key=lambda j: j.submitted)
            body["queue_position"] = queued.index(job) if job in queued else 0
        else:
            lines = job.logs(now)
            if self.new_lines_only:  # a status that brings only the lines not sent before
                lines, job.logs_served = lines[job.logs_served:], len(lines)
            body["logs"] = lines if with_logs else None
        if phase == "COMPLETED":
            body["metrics"] = {"inference_time": round(job.render_seconds, 3)}
            if job.error:
                body["error"], body["error_type"] = job.error
            self._deliver_webhook(job)
        if job.status_word:
            body["status"] = job.status_word
        return body

    def result(self, job: Job) -> tuple[int, dict]:
        """The result GET's answer (the handler has counted the GET, faulted or not)."""
        code, body = self._result(job)
        if code == 200 and "video" in body:
            with self.lock:
                job.results_served += 1
        return code, body

    def _result(self, job: Job) -> tuple[int, dict]:
        """What the result GET answers, without counting a fetch."""
        phase = job.phase(time.monotonic())
        if job.cancelled:
            return 400, {"detail": "Request was cancelled", "error_type": "request_cancelled"}
        if phase != "COMPLETED":
            return 400, {"detail": "Request is still in progress"}
        if job.policy_loc:
            return 422, {"detail": [_detail(
                ["body", job.policy_loc],
                {"generated_video": "The generated video was flagged by the content checker.",
                 "prompt": "The prompt was flagged by the content checker.",
                 }.get(job.policy_loc, "A reference was flagged: it may show a real person."),
                "content_policy_violation",
                {"extra_info": {"reason": "partner_validation_failed"}})]}
        if job.error and job.error_invalid:
            return 422, {"detail": [_detail(["body", "duration"], "The duration is not one "
                                            "this model renders.", "value_error")]}
        if job.error and not job.error_with_video:
            return 500, {"detail": job.error[0], "error_type": job.error[1]}
        if job.unfetchable:
            return 500, {"detail": "Internal server error"}
        if job.no_video:
            return 200, {"seed": job.seed}
        return 200, self.output(job)

    def output(self, job: Job) -> dict:
        width, height = frame_size(job.arguments)
        seconds = duration_of(job.arguments)
        audio = bool(job.arguments.get("generate_audio", True))
        path = self.media.path(width, height, seconds, audio)
        url = f"{self.base_url}/files/{job.request_id}/{path.name}"
        return {"video": {"url": url, "content_type": "video/mp4", "file_name": "output.mp4",
                          "file_size": path.stat().st_size}, "seed": job.seed}

    def cancel(self, job: Job) -> tuple[int, dict]:
        job.cancels += 1
        if job.phase(time.monotonic()) == "COMPLETED":
            return 400, {"status": "ALREADY_COMPLETED"}
        # fal does not document what a cancelled request's status says afterwards: by
        # default the job ends (COMPLETED, no video); cancel_completes=False keeps it running
        job.cancelled = self.cancel_completes
        return 202, {"status": "CANCELLATION_REQUESTED"}

    # -- webhooks ----------------------------------------------------------
    def jwks(self) -> dict:
        """The public keys as fal publishes them: a JWKS whose ``x`` has no padding."""
        keys = []
        for kid, public in (("fake-retired", self._retired_key),
                            ("fake-current", self.signing_key.public_key())):
            raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
            keys.append({"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig",
                         "kid": kid, "x": _b64(raw)})
        return {"keys": keys}

    @staticmethod
    def foreign_keys() -> list[dict[str, str]]:
        """Two keys that are not Ed25519, as a JWKS would list them: RSA and EC P-256."""
        numbers = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = numbers.public_key().public_numbers()
        point = ec.generate_private_key(ec.SECP256R1()).public_key().public_numbers()
        return [
            {"kty": "RSA", "alg": "RS256", "use": "sig", "kid": "fake-rsa",
             "n": _b64(public.n.to_bytes((public.n.bit_length() + 7) // 8, "big")),
             "e": _b64(public.e.to_bytes(3, "big"))},
            {"kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": "fake-ec",
             "x": _b64(point.x.to_bytes(32, "big")), "y": _b64(point.y.to_bytes(32, "big"))},
        ]

    def jwks_answer(self) -> tuple[int, bytes, str]:
        """(status, body, content type) of a key set GET, after the key-set faults."""
        with self.lock:
            self.jwks_fetches += 1
        if self._take("jwks_not_json", on="jwks"):
            page = b"<!doctype html><title>Temporarily unavailable</title><p>Try again soon.</p>"
            return 200, page, "text/html"
        jwks = self.jwks()
        if self._take("jwks_not_ed25519", on="jwks"):
            jwks["keys"] = self.foreign_keys() + jwks["keys"]
        return 200, json.dumps(jwks).encode(), "application/json"

    @staticmethod
    def signed_message(request_id: str, user_id: str, timestamp: str, body: bytes) -> bytes:
        """The bytes fal signs: four lines, the last the hex SHA-256 of the raw body."""
        return "\n".join([request_id, user_id, timestamp,
                          hashlib.sha256(body).hexdigest()]).encode("utf-8")

    def webhook_body(self, job: Job) -> bytes:
        """The raw bytes fal would POST for ``job`` (compact JSON)."""
        ids = {"request_id": job.request_id, "gateway_request_id": job.request_id}
        code, answer = self._result(job)
        if code == 200:
            body = {**ids, "status": "OK", "payload": answer}
        elif job.policy_loc:
            body = {**ids, "status": "ERROR", "error": "content_policy_violation",
                    "payload": answer}
        else:
            body = {**ids, "status": "ERROR", "error": str(answer.get("detail", "")),
                    "payload": answer if code == 200 else None}
        return json.dumps(body, separators=(",", ":")).encode("utf-8")

    def signed_delivery(self, job: Job, *, timestamp: int | None = None,
                        key: Ed25519PrivateKey | None = None) -> dict[str, Any]:
        """One delivery of ``job``'s webhook: ``{request_id, url, headers, body}``."""
        body = self.webhook_body(job)
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        message = self.signed_message(job.request_id, WEBHOOK_USER_ID, stamp, body)
        signature = (key or self.signing_key).sign(message).hex()
        headers = dict(zip(WEBHOOK_HEADERS, (job.request_id, WEBHOOK_USER_ID, stamp, signature),
                           strict=True))
        headers["Content-Type"] = "application/json"
        return {"request_id": job.request_id, "url": job.webhook_url, "headers": headers,
                "body": body}

    def deliver(self, request_id: str, *, body: bytes | None = None,
                timestamp: int | None = None, omit: str | None = None,
                foreign_key: bool = False) -> int | None:
        """POST ``request_id``'s webhook now, signed as fal signs it; the receiver's status.

        Waits for the render to finish first (the polls pace: finishes it), and
        the automatic delivery on a status poll is not made afterwards. Each
        keyword spoils one thing: ``body`` is sent in place of the signed body
        (tampered), ``timestamp`` (Unix seconds) is signed in place of now
        (stale), ``omit`` leaves out one of the four ``X-Fal-Webhook-*``
        headers, and ``foreign_key`` signs with a fresh key that the JWKS does
        not list. None: the receiver did not answer.
        """
        with self.lock:
            job = self.jobs[request_id]
            job.webhook_sent = True
            if job.polls_needed is not None:
                job.finished = True
        if not job.webhook_url or not _loopback(job.webhook_url):
            raise ValueError(f"{request_id} has no webhook URL on 127.0.0.1 or localhost")
        if omit is not None and omit not in WEBHOOK_HEADERS:
            raise ValueError(f"omit one of {', '.join(WEBHOOK_HEADERS)}, not {omit!r}")
        wait = job.submitted + job.render_seconds - time.monotonic()
        if wait > 0 and not (job.cancelled or job.finished):
            time.sleep(wait)
        delivery = self.signed_delivery(
            job, timestamp=timestamp, key=Ed25519PrivateKey.generate() if foreign_key else None)
        if body is not None:
            delivery["body"] = body
        if omit is not None:
            del delivery["headers"][omit]
        return self._post(delivery)

    def replay(self, request_id: str) -> int | None:
        """Send the last delivery of ``request_id`` again, byte for byte (same headers)."""
        with self.lock:
            last = [d for d in self.deliveries if d["request_id"] == request_id]
        if not last:
            raise ValueError(f"nothing was delivered for {request_id}")
        return self._post({k: last[-1][k] for k in ("request_id", "url", "headers", "body")})

    def flush_webhooks(self) -> list[int | None]:
        """POST the deliveries late and out-of-order faults held back, now, in this thread.

        Late ones go in the order they were held, out-of-order ones after them,
        newest first. Returns each receiver's status (None: no answer).
        """
        with self.lock:
            held, self.held = self.held, []
        late = [d for d in held if not d["reverse"]]
        reverse = [d for d in held if d["reverse"]][::-1]
        return [self._post(d["delivery"]) for d in late + reverse]

    def _post(self, delivery: dict[str, Any]) -> int | None:
        import httpx

        try:
            answer = httpx.post(delivery["url"], content=delivery["body"],
                                headers=delivery["headers"], timeout=10,
                                verify=self.ssl_context())
            status: int | None = answer.status_code
        except httpx.HTTPError:
            status = None
        with self.lock:
            self.deliveries.append({**delivery, "status": status})
            for hook in self.webhooks:
                if hook["request_id"] == delivery["request_id"]:
                    hook["delivered"] = status is not None
        return status

    def _deliver_webhook(self, job: Job) -> None:
        with self.lock:
            if job.webhook_sent or not job.webhook_url:
                return
            job.webhook_sent = True
        if not _loopback(job.webhook_url):
            return
        faults = job.webhook_faults
        delivery = self.signed_delivery(
            job, key=Ed25519PrivateKey.generate() if "bad_signature" in faults else None)
        if faults & {"late", "out_of_order"}:
            with self.lock:
                self.held.append({"delivery": delivery, "reverse": "out_of_order" in faults})
            return

        def send() -> None:
            try:
                self._post(delivery)
                if "twice" in faults:
                    self._post(delivery)
            finally:
                with self._sent:
                    self._sending -= 1
                    self._sent.notify_all()

        with self._sent:
            self._sending += 1
        threading.Thread(target=send, daemon=True).start()

    def wait_for_deliveries(self, timeout: float = 30) -> bool:
        """Wait until every webhook sent on a status poll has been answered (or not);
        False when some were still being sent after ``timeout`` seconds."""
        with self._sent:
            return self._sent.wait_for(lambda: self._sending == 0, timeout)


def _prompt(arguments: Any) -> str:
    prompt = arguments.get("prompt", "") if isinstance(arguments, dict) else ""
    return prompt if isinstance(prompt, str) else ""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _loopback(url: str) -> bool:
    return urlsplit(url).hostname in ("127.0.0.1", "localhost")


class _Handler(BaseHTTPRequestHandler):
    fake: FakeFal
    protocol_version = "HTTP/1.1"
    server_version = "fake-fal/1"
    # Headers and body go out as separate writes; without TCP_NODELAY the client's
    # delayed ACK holds every answer back by about 40 ms.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Quiet: never echo request lines (and so never anything secret)."""

    def _send(self, code: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self._send_bytes(code, data, "application/json", headers)

    def _send_bytes(self, code: int, data: bytes, content_type: str,
                    headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Fal-Request-Id", str(uuid.uuid4()))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw or b"null")
        except ValueError:
            return None

    def _authorized(self) -> bool:
        """Count the request; False (answered 401) when it carries no key."""
        fake = self.fake
        with fake.lock:
            fake.requests_seen += 1
        if self.headers.get("Authorization", "").startswith("Key "):
            return True
        with fake.lock:
            fake.unauthorized += 1
        self._send(401, {"detail": "Missing or invalid credentials; set FAL_KEY",
                         "error_type": "unauthorized"})
        return False

    def _faulted(self, on: str, prompt: str | None, record: dict | None = None) -> str | None:
        """Apply a per-request fault; what it did ("dropped", "timeout", the status), or
        None. ``record["status"]`` says so before a held request is let go."""
        fault = self.fake.request_fault(on, prompt)
        if fault is None:
            return None
        kind = fault.kind
        if kind == "gate":
            with self.fake.lock:
                reset = self.fake._released
            deadline = time.monotonic() + (fault.seconds or GATE_SECONDS)
            while not (fault.released.wait(0.02) or reset.is_set()
                       or time.monotonic() > deadline):
                pass
            if not fault.then:
                return None
            kind = fault.then
        what = {"drop": "dropped", "timeout": "timeout", "garbled": "200 garbled"}.get(kind) \
            or str(ANSWERS[kind][0])
        if record is not None:
            record["status"] = what
        if kind == "drop":
            self._drop()
            return what
        if kind == "timeout":
            self.fake.hold(fault.seconds or HANG_SECONDS)
            self._drop()
            return what
        if kind == "garbled":
            self._send_bytes(200, b"<html><body>Service notice</body></html>", "text/html")
            return what
        code, detail, error_type = ANSWERS[kind]
        body: dict[str, Any] = {"detail": detail}
        headers = {}
        if error_type:
            body["error_type"] = error_type
            headers["X-Fal-Error-Type"] = error_type
        if code in (408, 409, 429):
            headers["X-Fal-Retryable"] = "true"
        if kind == "start_ran_out":
            headers["X-Fal-Request-Timeout-Type"] = "user"
        self._send(code, body, headers)
        return str(code)

    def _job(self, parts: list[str]) -> tuple[Job | None, str]:
        i = parts.index("requests")
        rid = parts[i + 1] if len(parts) > i + 1 else ""
        rest = "/".join(parts[i + 2:])
        with self.fake.lock:
            return self.fake.jobs.get(rid), rest

    def do_POST(self) -> None:  # noqa: N802
        body = self._body()
        if not self._authorized():
            return
        fake = self.fake
        url = urlsplit(self.path)
        app_path = url.path.strip("/")
        prompt = _prompt(body)
        attempt = {"endpoint": app_path, "prompt": prompt, "arguments": body, "status": None,
                   # the start_timeout the client sent (fal_client's X-Fal-Request-Timeout)
                   "start_timeout": self.headers.get("X-Fal-Request-Timeout")}
        with fake.lock:
            fake.submit_attempts.append(attempt)
        if self._faulted("submit", prompt, attempt) is not None:
            return
        webhook = parse_qs(url.query).get("fal_webhook", [None])[0]
        code, answer = fake.submit(app_path, body, webhook)
        attempt["status"] = str(code)
        headers = {"X-Fal-Error-Type": answer["error_type"]} if "error_type" in answer else {}
        self._send(code, answer, headers)

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path == JWKS_PATH:
            with self.fake.lock:
                self.fake.requests_seen += 1
            self._send_bytes(*self.fake.jwks_answer())
            return
        parts = [p for p in url.path.split("/") if p]
        if parts[:1] == ["files"] and len(parts) == 3:
            with self.fake.lock:
                self.fake.requests_seen += 1
            self._file(parts[1], parts[2])
            return
        if not self._authorized():
            return
        if "requests" not in parts:
            self._send(404, {"detail": "Not found"})
            return
        job, rest = self._job(parts)
        on = {"status": "status", "": "result"}.get(rest)
        if job is not None and on is not None:
            self.fake._observe(job)
            if on == "result":
                with self.fake.lock:
                    job.result_fetches += 1
        if on is not None and self._faulted(on, _prompt(job.arguments) if job else None):
            return
        if job is None:
            self._send(404, {"detail": "Request not found", "error_type": "request_not_found"})
            return
        if rest == "status":
            logs = parse_qs(url.query).get("logs", ["false"])[0].lower() in ("true", "1")
            self._send(200, self.fake.status(job, logs))
        elif rest == "":
            code, answer = self.fake.result(job)
            headers = {"X-Fal-Error-Type": answer["error_type"]} if "error_type" in answer else {}
            self._send(code, answer, headers)
        else:
            self._send(404, {"detail": "Not found"})

    def do_PUT(self) -> None:  # noqa: N802
        self._body()
        if not self._authorized():
            return
        parts = [p for p in urlsplit(self.path).path.split("/") if p]
        if "requests" not in parts:
            self._send(404, {"detail": "Not found"})
            return
        job, rest = self._job(parts)
        if self._faulted("cancel", _prompt(job.arguments) if job else None):
            return
        if rest != "cancel":
            self._send(404, {"detail": "Not found"})
        elif job is None:
            self._send(404, {"status": "NOT_FOUND"})
        else:
            self._send(*self.fake.cancel(job))

    def _file(self, rid: str, name: str) -> None:
        path = self.fake.media.directory / name
        with self.fake.lock:
            job = self.fake.jobs.get(rid)
            if job is not None:
                job.downloads += 1
        if job is None or job.file_gone or "/" in name or not path.is_file():
            self._send(404, {"detail": "File not found"})
            return
        data = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "video/mp4")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the fake fal queue server.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--render-seconds", type=float, default=2.0)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="fake-fal-"))
    sock = None
    if args.port:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", args.port))
        sock.listen(64)
    fake = FakeFal(workdir, render_seconds=args.render_seconds, sock=sock).start()
    env = fake.environ()
    env.pop("FAL_KEY")
    for key, value in env.items():
        print(f"export {key}={value}")
    print(f"# fake fal listening on {fake.base_url}; Ctrl-C stops it", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
