"""A fake fal queue server: real HTTPS on 127.0.0.1 for the unmodified fal_client.

It speaks the queue protocol as fal-client 1.0.3 uses it (see FACTS.md, "The fal
queue protocol"):

- ``POST /{owner}/{alias}/{path}[?fal_webhook=URL]`` submits; the answer carries
  ``request_id``, ``response_url``, ``status_url`` and ``cancel_url``, which point
  at ``/{owner}/{alias}/requests/{id}`` like fal's (the sub-path is dropped).
- ``GET .../requests/{id}/status?logs=true|false|1|0``: ``IN_QUEUE`` (with
  ``queue_position``), then ``IN_PROGRESS`` and ``COMPLETED`` with ``logs``.
  The phases follow the wall clock: a render takes ``render_seconds``.
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
  loopback), once, when a status poll first sees the request ``COMPLETED``.
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
  byte for byte. Every POST is recorded in ``deliveries`` with the answer.

Faults are injected with :meth:`FakeFal.inject` (see :class:`Fault`). The
server never stores or prints the ``Authorization`` value; it only counts
requests that carried one.

Run it standalone for demos: ``python tests/fakes/fal_server.py --port 0``
prints the environment a client needs.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

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
FAULT_KINDS = ("content_policy", "rate_limit", "server_error", "locked", "slow", "drop")
JWKS_PATH = "/.well-known/jwks.json"
#: The user id every delivery carries (fal sends the account's id).
WEBHOOK_USER_ID = "fake-user-0001"
WEBHOOK_HEADERS = ("X-Fal-Webhook-Request-Id", "X-Fal-Webhook-User-Id",
                   "X-Fal-Webhook-Timestamp", "X-Fal-Webhook-Signature")


@dataclass
class Fault:
    """One injected failure.

    kind:
      ``content_policy``: the matching request completes, then its result GET
        answers 422 ``content_policy_violation`` at ``loc`` (``image_url``,
        ``image_urls``, ``generated_video`` or ``prompt``);
      ``rate_limit``: the next ``count`` queue requests answer 429;
      ``server_error``: the next ``count`` submits answer a plain 500;
      ``locked``: submits answer 403 with a flat ``detail`` (account locked);
      ``slow``: matching requests render for ``seconds`` instead of the default;
      ``drop``: the next ``count`` queue requests get their connection closed
        without an answer.
    ``count`` is how many times it fires (-1: always). ``match`` is a substring of
    the prompt that selects requests (empty: every request).
    """

    kind: str
    count: int = 1
    match: str = ""
    loc: str = "generated_video"
    seconds: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; one of {', '.join(FAULT_KINDS)}")
        if self.kind == "content_policy" and self.loc not in POLICY_LOCS:
            raise ValueError(f"unknown loc {self.loc!r}; one of {', '.join(POLICY_LOCS)}")


@dataclass
class Job:
    request_id: str
    endpoint: str
    app: str  # owner/alias, the prefix of the request URLs
    arguments: dict[str, Any]
    submitted: float
    render_seconds: float
    webhook_url: str | None = None
    policy_loc: str | None = None
    cancelled: bool = False
    seed: int = 0
    status_polls: int = 0
    result_fetches: int = 0
    webhook_sent: bool = False

    def phase(self, now: float) -> str:
        if self.cancelled:
            return "COMPLETED"
        elapsed = now - self.submitted
        if elapsed < self.render_seconds * 0.2:
            return "IN_QUEUE"
        if elapsed < self.render_seconds:
            return "IN_PROGRESS"
        return "COMPLETED"

    def logs(self, now: float) -> list[dict[str, Any]]:
        elapsed = now - self.submitted
        steps = [(0.2, "Starting render"), (0.5, "Rendering frames"),
                 (0.8, "Mixing audio" if self.arguments.get("generate_audio", True)
                  else "Encoding video"), (1.0, "Render finished")]
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(self.submitted))
        return [{"message": msg, "level": "INFO", "source": "user", "timestamp": stamp}
                for frac, msg in steps if elapsed >= self.render_seconds * frac]


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
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.reset()

    # -- state -------------------------------------------------------------
    def reset(self) -> None:
        """Forget every request, fault and counter (between tests)."""
        with self.lock:
            self.jobs: dict[str, Job] = {}
            self.faults: list[Fault] = []
            self.submissions: list[dict[str, Any]] = []
            self.webhooks: list[dict[str, Any]] = []
            self.deliveries: list[dict[str, Any]] = []
            self.jwks_fetches = 0
            self.requests_seen = 0
            self.unauthorized = 0
            self.render_seconds = self.default_render_seconds

    def inject(self, kind: str | Fault, **kwargs: Any) -> Fault:
        """Add a fault: ``inject("locked")`` or ``inject(Fault("content_policy", ...))``."""
        fault = kind if isinstance(kind, Fault) else Fault(kind, **kwargs)
        with self.lock:
            self.faults.append(fault)
        return fault

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
        with self.lock:
            return sum(1 for s in self.submissions if prompt_part in str(s["arguments"].get(
                "prompt", "")))

    def _take(self, kind: str, prompt: str | None = None) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.kind != kind or fault.count == 0:
                    continue
                if fault.match and (prompt is None or fault.match not in prompt):
                    continue
                if fault.count > 0:
                    fault.count -= 1
                return fault
        return None

    # -- lifecycle ---------------------------------------------------------
    def start(self) -> FakeFal:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert, self.key)
        handler = type("Handler", (_Handler,), {"fake": self})
        httpd = ThreadingHTTPServer(("127.0.0.1", self.port), handler, bind_and_activate=False)
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
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeFal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

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
        if self._take("locked", prompt):
            return 403, {"detail": "User is locked. Reason: Exhausted balance. Top up your "
                                   "balance at fal.ai/dashboard/billing.",
                         "error_type": "user_locked"}
        if self._take("server_error", prompt):
            return 500, {"detail": "Internal server error"}
        slow = self._take("slow", prompt)
        policy = self._take("content_policy", prompt)
        rid = str(uuid.uuid4())
        owner, alias = app_path.split("/")[:2]
        seed = args.get("seed")
        job = Job(
            request_id=rid, endpoint=app_path, app=f"{owner}/{alias}", arguments=args,
            submitted=time.monotonic(),
            render_seconds=slow.seconds if slow else self.render_seconds,
            webhook_url=webhook, policy_loc=policy.loc if policy else None,
            seed=seed if isinstance(seed, int) else int(uuid.UUID(rid).int % 2**31),
        )
        with self.lock:
            self.jobs[rid] = job
            self.submissions.append({"request_id": rid, "endpoint": app_path,
                                     "arguments": args, "webhook_url": webhook})
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
        job.status_polls += 1
        phase = job.phase(now)
        base = f"{self.base_url}/{job.app}/requests/{job.request_id}"
        body: dict[str, Any] = {"status": phase, "request_id": job.request_id,
                                "response_url": base, "status_url": base + "/status",
                                "cancel_url": base + "/cancel"}
        if phase == "IN_QUEUE":
            queued = sorted((j for j in self._active() if j.phase(now) == "IN_QUEUE"),
                            key=lambda j: j.submitted)
            body["queue_position"] = queued.index(job) if job in queued else 0
        else:
            body["logs"] = job.logs(now) if with_logs else None
        if phase == "COMPLETED":
            body["metrics"] = {"inference_time": round(job.render_seconds, 3)}
            self._deliver_webhook(job)
        return body

    def result(self, job: Job) -> tuple[int, dict]:
        job.result_fetches += 1
        return self._result(job)

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
        if job.phase(time.monotonic()) == "COMPLETED":
            return 400, {"status": "ALREADY_COMPLETED"}
        job.cancelled = True
        return 202, {"status": "CANCELLATION_REQUESTED"}

    # -- webhooks ----------------------------------------------------------
    def jwks(self) -> dict:
        """The public keys as fal publishes them: a JWKS whose ``x`` has no padding."""
        keys = []
        for kid, public in (("fake-retired", self._retired_key),
                            ("fake-current", self.signing_key.public_key())):
            raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
            keys.append({"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig",
                         "kid": kid, "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode()})
        return {"keys": keys}

    @staticmethod
    def signed_message(request_id: str, user_id: str, timestamp: str, body: bytes) -> bytes:
        """The bytes fal signs: four lines, the last the hex SHA-256 of the raw body."""
        return "\n".join([request_id, user_id, timestamp,
                          hashlib.sha256(body).hexdigest()]).encode("utf-8")

    def webhook_body(self, job: Job) -> bytes:
        """The raw bytes fal would POST for ``job`` (compact JSON)."""
        if job.policy_loc:
            body = {"request_id": job.request_id, "gateway_request_id": job.request_id,
                    "status": "ERROR", "error": "content_policy_violation",
                    "payload": self._result(job)[1]}
        else:
            body = {"request_id": job.request_id, "gateway_request_id": job.request_id,
                    "status": "OK", "payload": self.output(job)}
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

        Waits for the render to finish first, and the automatic delivery on a
        status poll is not made afterwards. Each keyword spoils one thing:
        ``body`` is sent in place of the signed body (tampered), ``timestamp``
        (Unix seconds) is signed in place of now (stale), ``omit`` leaves out one
        of the four ``X-Fal-Webhook-*`` headers, and ``foreign_key`` signs with a
        fresh key that the JWKS does not list. None: the receiver did not answer.
        """
        with self.lock:
            job = self.jobs[request_id]
            job.webhook_sent = True
        if not job.webhook_url or not _loopback(job.webhook_url):
            raise ValueError(f"{request_id} has no webhook URL on 127.0.0.1 or localhost")
        if omit is not None and omit not in WEBHOOK_HEADERS:
            raise ValueError(f"omit one of {', '.join(WEBHOOK_HEADERS)}, not {omit!r}")
        wait = job.submitted + job.render_seconds - time.monotonic()
        if wait > 0 and not job.cancelled:
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

        def send() -> None:
            self._post(self.signed_delivery(job))

        threading.Thread(target=send, daemon=True).start()


def _loopback(url: str) -> bool:
    return urlsplit(url).hostname in ("127.0.0.1", "localhost")


class _Handler(BaseHTTPRequestHandler):
    fake: FakeFal
    protocol_version = "HTTP/1.1"
    server_version = "fake-fal/1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Quiet: never echo request lines (and so never anything secret)."""

    def _send(self, code: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
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

    def _common(self, body_needed: bool) -> tuple[bool, Any]:
        """Count, authenticate and apply connection faults. False: already answered."""
        fake = self.fake
        body = self._body() if body_needed else None
        with fake.lock:
            fake.requests_seen += 1
        if self.path.startswith("/files/") or urlsplit(self.path).path == JWKS_PATH:
            return True, body
        if not self.headers.get("Authorization", "").startswith("Key "):
            with fake.lock:
                fake.unauthorized += 1
            self._send(401, {"detail": "Missing or invalid credentials; set FAL_KEY",
                             "error_type": "unauthorized"})
            return False, None
        if fake._take("drop"):
            self._drop()
            return False, None
        if fake._take("rate_limit"):
            self._send(429, {"detail": "Too many requests", "error_type": "rate_limited"},
                       {"X-Fal-Retryable": "true"})
            return False, None
        return True, body

    def _job(self, parts: list[str]) -> tuple[Job | None, str]:
        i = parts.index("requests")
        rid = parts[i + 1] if len(parts) > i + 1 else ""
        rest = "/".join(parts[i + 2:])
        with self.fake.lock:
            return self.fake.jobs.get(rid), rest

    def do_POST(self) -> None:  # noqa: N802
        ok, body = self._common(True)
        if not ok:
            return
        url = urlsplit(self.path)
        app_path = url.path.strip("/")
        webhook = parse_qs(url.query).get("fal_webhook", [None])[0]
        code, answer = self.fake.submit(app_path, body, webhook)
        headers = {"X-Fal-Error-Type": answer["error_type"]} if "error_type" in answer else {}
        self._send(code, answer, headers)

    def do_GET(self) -> None:  # noqa: N802
        ok, _ = self._common(False)
        if not ok:
            return
        url = urlsplit(self.path)
        if url.path == JWKS_PATH:
            with self.fake.lock:
                self.fake.jwks_fetches += 1
            self._send(200, self.fake.jwks())
            return
        parts = [p for p in url.path.split("/") if p]
        if parts[:1] == ["files"] and len(parts) == 3:
            self._file(parts[1], parts[2])
            return
        if "requests" not in parts:
            self._send(404, {"detail": "Not found"})
            return
        job, rest = self._job(parts)
        if job is None:
            self._send(404, {"detail": "Request not found", "error_type": "request_not_found"})
            return
        if rest == "status":
            logs = parse_qs(url.query).get("logs", ["false"])[0].lower() in ("true", "1")
            self._send(200, self.fake.status(job, logs))
        elif rest == "":
            code, answer = self.fake.result(job)
            self._send(code, answer)
        else:
            self._send(404, {"detail": "Not found"})

    def do_PUT(self) -> None:  # noqa: N802
        ok, _ = self._common(True)
        if not ok:
            return
        parts = [p for p in urlsplit(self.path).path.split("/") if p]
        if "requests" not in parts:
            self._send(404, {"detail": "Not found"})
            return
        job, rest = self._job(parts)
        if rest != "cancel":
            self._send(404, {"detail": "Not found"})
        elif job is None:
            self._send(404, {"status": "NOT_FOUND"})
        else:
            self._send(*self.fake.cancel(job))

    def _file(self, rid: str, name: str) -> None:
        path = self.fake.media.directory / name
        with self.fake.lock:
            known = rid in self.fake.jobs
        if not known or "/" in name or not path.is_file():
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
