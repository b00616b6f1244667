# The code the seedpress guides share for calling Seedance 2.0 on fal, written once.
#
# Guides show its sections through the computed name snippet("fal_calls.py",
# "fetch") inside a fenced block; the generation stage puts the section there with
# its own computed names rendered, so MkDocs and Zensical show the same code, and
# tests/test_guide_code.py runs it as the reader sees it. tests/test_snippets.py
# holds it to the retries rule (data/rules.yml) and to the pricing data, and runs
# it against the fake fal. Sections are marked as pymdown-extensions marks them;
# the marker lines never show on a page.

# --8<-- [start:classify]
# Python 3.10 or newer (the code writes `str | None`) and fal-client; written and tested
# against fal-client 1.0.3.
from dataclasses import dataclass

import httpx
from fal_client.client import FalClientHTTPError

PASSING = (408, 409, 429)  # fal_client retries these itself, with backoff
FILTERS = {"generated_video": "output_filter", "prompt": "prompt_filter",
           "image_url": "likeness_filter", "image_urls": "likeness_filter",
           "end_image_url": "likeness_filter"}  # an input image too; no report of it yet


@dataclass(frozen=True)
class Failure:
    state: str  # "blocked", "rejected", "failed", or "unanswered": no answer, fal may have it
    reason: str  # what the retry policy reads
    field: str = ""  # the input the error names, with fal's list index if any: image_urls[2]
    detail: str = ""
    video_url: str = ""  # a failed render whose result still names a video: where it is

    def __str__(self) -> str:
        return " ".join(part for part in (f"{self.state}:", self.reason, self.field,
                                          self.detail) if part)


def start_ran_out(err: FalClientHTTPError) -> bool:
    """A 504 that carries X-Fal-Request-Timeout-Type: fal_client 1.0.3 takes it as the end of
    a timeout the caller set (our start_timeout), never to be asked again."""
    headers = {str(key).lower() for key in (err.response_headers or {})}
    return err.status_code == 504 and "x-fal-request-timeout-type" in headers


def input_named(loc) -> tuple[str, str]:
    """The input a loc names: its last name, and that name with any list index after it
    (["body", "image_urls", 2] is image_urls, and image_urls[2]: the third image)."""
    parts = list(loc or [])
    at = next((i for i in reversed(range(len(parts))) if isinstance(parts[i], str)), None)
    if at is None:
        return "", ""
    return parts[at], parts[at] + "".join(f"[{part}]" for part in parts[at + 1:])


def classify(err: Exception) -> Failure:
    """What an error from fal means for the job."""
    if isinstance(err, httpx.TransportError):  # no answer, after fal_client's own retries
        return Failure("unanswered", "no_answer", detail="fal may have queued it: look for "
                       f"it before you send it again ({err!r})")
    if not isinstance(err, FalClientHTTPError):
        return Failure("failed", "unexpected", detail=repr(err))
    detail = err.message  # fal's detail: a list for model errors, a string otherwise
    items = [i for i in detail if isinstance(i, dict)] if isinstance(detail, list) else []
    for item in items:
        if item.get("type") == "content_policy_violation":
            name, field = input_named(item.get("loc"))
            why = ((item.get("ctx") or {}).get("extra_info") or {}).get("reason", "")
            return Failure("blocked", FILTERS.get(name, "content_filter"), field, why)
    if err.status_code == 422:
        first = items[0] if items else {}
        return Failure("rejected", "invalid_input", input_named(first.get("loc"))[1],
                       str(first.get("msg", detail)))
    if err.status_code == 403:
        return Failure("failed", "account_locked", detail=str(detail))
    if err.status_code in PASSING:  # still failing after fal_client's retries
        return Failure("failed", "busy", detail=str(detail))
    if start_ran_out(err):
        return Failure("failed", "start_timeout", detail="a 504 with a timeout type, which "
                       f"fal_client reads as our start_timeout running out ({detail})")
    if err.status_code == 500:  # a plain 500; a 502, 503 or 504 may have reached fal
        return Failure("failed", "server_error", detail=str(detail))
    if err.status_code > 500:
        return Failure("failed", f"http_{err.status_code}", detail="fal may have queued it: "
                       f"look for it before you send it again ({detail})")
    if err.status_code in (401, 404):  # about the key or the endpoint, not a render
        return Failure("failed", f"http_{err.status_code}", detail="about the key or the "
                       "endpoint, not the render: at submit fal turned it away, and we take "
                       "it nothing was queued (the retries rule); on a render "
                       "fal had queued, that render may still run and bill, so once this is "
                       f"fixed follow it by its request id rather than send it again ({detail})")
    return Failure("failed", f"http_{err.status_code}", detail=str(detail))
# --8<-- [end:classify]


# --8<-- [start:retry]
import random

MAX_ATTEMPTS = 2  # per job, the first one included
MIN_SECONDS = {{ duration_min() }}


def next_attempt(arguments: dict, failure: Failure, shorten: bool = False) -> dict | None:
    """The arguments of the one retry the rule allows after this failure, or None. It goes
    to the same endpoint. An output block gets a new seed and keeps its length, unless
    shorten=True: a shorter shot is a different deliverable, so that is a director's call."""
    if failure.reason == "server_error":
        return dict(arguments)  # fal answered 500 and named no request: once more, later
    if failure.reason != "output_filter":
        return None  # a person changes the input, looks the request up, or stops the queue
    retry = dict(arguments)
    seed = arguments.get("seed")
    retry["seed"] = random.randrange(2**31) if seed is None else (seed + 1) % 2**31
    if shorten and arguments.get("duration", "auto") != "auto":  # never under the minimum
        retry["duration"] = str(max(MIN_SECONDS, int(arguments["duration"]) * 2 // 3))
    return retry
# --8<-- [end:retry]


# --8<-- [start:backoff]
import random
import time

PATIENCE = 6  # tries of a status poll or a result read before we hand the request back
BACKOFF_SECONDS = 0.5  # the first wait; each one after doubles, up to BACKOFF_CAP
BACKOFF_CAP = 30.0


def backoff(attempt: int) -> float:
    """Seconds to wait after failed try number attempt: doubling, capped, jittered."""
    return min(BACKOFF_CAP, BACKOFF_SECONDS * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
# --8<-- [end:backoff]


# --8<-- [start:cost]
from decimal import ROUND_HALF_UP, Decimal

RATE_PER_1K = {"standard": {{ rate("standard")[1:] }}, "fast": {{ rate("fast")[1:] }}}  # USD per 1,000 tokens
REFERENCE_VIDEO_MULTIPLIER = {{ reference_multiplier() }}
FRAME = {  # (width, height) of every aspect ratio fal renders
    "480p": {"21:9": (992, 432), "16:9": (864, 496), "4:3": (752, 560),
             "1:1": (640, 640), "3:4": (560, 752), "9:16": (496, 864)},
    "720p": {"21:9": (1470, 630), "16:9": (1280, 720), "4:3": (1112, 834),
             "1:1": (960, 960), "3:4": (834, 1112), "9:16": (720, 1280)},
}


def attempt_tokens(arguments: dict, video_input_seconds: float = 0.0) -> float:
    """The tokens fal bills for one attempt: height x width x seconds x 24 / 1024."""
    seconds = arguments.get("duration", "auto")
    ratio = arguments.get("aspect_ratio", "auto")
    if seconds == "auto" or ratio == "auto":
        raise ValueError("send an explicit duration and aspect_ratio: auto cannot be priced")
    if seconds not in [str(n) for n in range({{ duration_min() }}, {{ duration_max() }} + 1)]:
        raise ValueError(f"duration {seconds!r}: fal's schema lists whole seconds, "
                         "{{ duration_min() }} to {{ duration_max() }}, as strings such as "
                         '"5"; send one of those, or this is not priced')
    frames = FRAME.get(arguments.get("resolution", "720p"), {})
    if ratio not in frames:  # 1080p is unconfirmed on fal, so it has no frame size here
        raise ValueError(f"no frame size for {arguments.get('resolution', '720p')} at {ratio}: "
                         f"this code prices {' and '.join(FRAME)} only")
    width, height = frames[ratio]
    return height * width * (int(seconds) + video_input_seconds) * 24 / 1024


def attempt_cost(endpoint: str, arguments: dict, video_input_seconds: float = 0.0) -> float:
    """USD for one Seedance 2.0 attempt; video_input_seconds is how long the reference
    clips run. Another model has rates of its own: this refuses to price it."""
    if not endpoint.startswith("bytedance/seedance-2.0/"):
        raise ValueError(f"{endpoint}: not a Seedance 2.0 endpoint, so not priced here")
    with_video = bool(arguments.get("video_urls"))
    if with_video and "/reference-to-video" not in endpoint:  # only its schema lists them
        raise ValueError(f"{endpoint}: its schema lists no video_urls, so not priced here")
    if with_video != (video_input_seconds > 0):
        raise ValueError("pass video_input_seconds, the length of the reference clips, "
                         "exactly when the request sends video_urls")
    low, high = {{ file_limit("video", "min_seconds_total") }}, {{ file_limit("video", "max_seconds_total") }}
    if with_video and not low <= video_input_seconds <= high:  # fal would refuse it
        raise ValueError(f"reference clips of {video_input_seconds:g} s in all: fal takes "
                         f"{low} to {high} s together, so this would not be sent")
    tokens = attempt_tokens(arguments, video_input_seconds)  # input seconds count too
    usd = tokens / 1000 * RATE_PER_1K["fast" if "/fast/" in endpoint else "standard"]
    return usd * REFERENCE_VIDEO_MULTIPLIER if with_video else usd


def dollars(usd: float) -> str:
    """A cost as the site prints one: full precision inside, rounded half up to the cent."""
    return f"${Decimal(repr(usd)).quantize(Decimal('0.01'), ROUND_HALF_UP)}"
# --8<-- [end:cost]


# --8<-- [start:fetch]
import json

import fal_client
from fal_client.auth import MissingCredentialsError, fetch_auth_credentials

POLL_SECONDS = 1.0  # between status polls while a render runs
RENDER_WITHIN = 1800  # seconds we wait for a render: our figure, as fal publishes no times
START_WITHIN = 600  # seconds a render may wait in fal's queue before it starts: our figure
# (sent as start_timeout; what fal reports for a request that waited longer, and whether it
# bills one, is not documented: the operations guide's deadlines section says more)


class RenderFailed(Exception):
    """fal answered this request with an error: read failure.reason. With request_id None,
    fal answered the submit with an error and named no request (whether such a submit can
    leave a request behind, fal does not document: see the retries rule)."""

    def __init__(self, request_id: str | None, failure: Failure):
        super().__init__(f"{request_id or 'no request id'}: {failure.state}, " + " ".join(
            part for part in (failure.reason, failure.field, failure.detail) if part))
        self.request_id, self.failure = request_id, failure


class SubmitUnanswered(Exception):
    """No answer to a submit, even after fal_client's own tries. fal may have queued the
    render (and may bill it) without the client hearing its request id, so this is not a
    failure to send again: look for the request first, in fal's list of your requests
    (the retries rule says where)."""

    def __init__(self, endpoint: str, error: Exception):
        super().__init__(f"no usable answer to the submit to {endpoint} ({error!r}): fal may "
                         "have queued it; look for it before you send it again")
        self.endpoint = endpoint


class ResultPending(Exception):
    """fal has the request, but its result did not come back: fetch it later."""

    def __init__(self, request_id: str, error: Exception):
        super().__init__(f"{request_id}: no result yet ({error!r}); fetch it later by its id "
                         "(wait_for_result again, with a deadline), never by submitting again")
        self.request_id = request_id


class Overdue(Exception):
    """A render outlived the time we gave it. fal still has it, under its request id
    (request_id, once render_video names it; a caller of wait_for_result holds it)."""

    def __init__(self, message: str, request_id: str | None = None):
        super().__init__(message)
        self.request_id = request_id


def need_key() -> None:
    """Stop before anything is recorded as sent when fal_client has no key to send:
    without one nothing leaves this machine, and no record should say otherwise."""
    try:
        fetch_auth_credentials()
    except MissingCredentialsError as err:
        raise SystemExit(f"no fal key, nothing was sent: {err}") from err


def give_up_after(seconds: float):
    """An on_update for wait_for_result that raises Overdue once seconds have passed."""
    deadline = time.monotonic() + seconds

    def check(status: fal_client.Status) -> None:
        if not isinstance(status, fal_client.Completed) and time.monotonic() >= deadline:
            raise Overdue(f"not finished after {seconds:g} s ({type(status).__name__})")

    return check


def passing(err: Exception) -> bool:
    """A failure that asking again may cure: no answer, 408, 409, 429 or a 5xx (but not a
    start_timeout that ran out)."""
    return isinstance(err, httpx.TransportError) or (
        isinstance(err, FalClientHTTPError) and not start_ran_out(err)
        and (err.status_code in PASSING or err.status_code >= 500))


def fetch_result(endpoint: str, request_id: str) -> dict:
    """The result of a request fal has COMPLETED. The render has finished, so a failed
    read is tried again; the request is never submitted again (that is a second render).
    Each try is fal_client.result: in fal-client 1.0.3 a status check (one, for a request
    already COMPLETED) and then the GET of the result, either of which may fail."""
    for attempt in range(1, PATIENCE + 1):
        try:
            result = fal_client.result(endpoint, request_id)
        except (FalClientHTTPError, httpx.TransportError) as err:
            if not passing(err):  # a block, or another answer that will not change
                raise RenderFailed(request_id, classify(err)) from err
            if attempt == PATIENCE:
                raise ResultPending(request_id, err) from err
            time.sleep(backoff(attempt))
            continue
        video = result.get("video") if isinstance(result, dict) else None
        if not (isinstance(video, dict) and video.get("url")):
            raise RenderFailed(request_id, Failure("failed", "no_video",
                                                   detail=json.dumps(result)[:300]))
        return result


def wait_for_result(endpoint: str, request_id: str, on_update=None) -> dict:
    """Poll a queued request until it is COMPLETED, then fetch its result. Between the
    tries of a poll that fails, on_update hears the last status fal gave again, so a
    deadline it holds is read while fal does not answer too."""
    misses, last = 0, None
    while True:
        try:
            status = fal_client.status(endpoint, request_id, with_logs=True)
        except (FalClientHTTPError, httpx.TransportError) as err:
            if not passing(err):
                raise RenderFailed(request_id, classify(err)) from err
            misses += 1
            if misses == PATIENCE:
                raise ResultPending(request_id, err) from err
            if on_update is not None and last is not None:
                on_update(last)  # a deadline passed meanwhile ends the wait here
            time.sleep(backoff(misses))
            continue
        misses, last = 0, status
        if on_update is not None:
            on_update(status)
        if isinstance(status, fal_client.Completed):
            break
        time.sleep(POLL_SECONDS)
    if status.error:  # COMPLETED may carry an error: this render failed
        raise RenderFailed(request_id, why_it_failed(endpoint, request_id, status))
    return fetch_result(endpoint, request_id)


def why_it_failed(endpoint: str, request_id: str, status: fal_client.Completed) -> Failure:
    """The failure of a render that ended COMPLETED with an error. fal does not say
    whether a content block can end that way too, so its result is read: a 422 there
    names the input a filter or fal's validation refused (an output block is retried by
    the rule), and its words are kept. A read that gets no answer, a 408, 409 or 429, or a
    5xx above 500 is tried again like any result, and if none comes it is ResultPending,
    read on a later run; a plain 500 is taken as the failure the status already reported.
    Reading a result never renders anything again, and a video it holds is named in
    video_url: to keep it, pass {"video": {"url": video_url}} to keep_video soon, since
    fal's FAQ keeps files at least 7 days by default, and nothing past that."""
    result, unread = None, ""
    for attempt in range(1, PATIENCE + 1):
        try:
            result = fal_client.result(endpoint, request_id)
        except (FalClientHTTPError, httpx.TransportError) as err:
            if passing(err) and getattr(err, "status_code", None) != 500:  # may change
                if attempt == PATIENCE:
                    raise ResultPending(request_id, err) from err
                time.sleep(backoff(attempt))
                continue
            failure = classify(err)
            if failure.state in ("blocked", "rejected") or failure.reason in (
                    "account_locked", "http_401", "http_404"):  # a block, a refused input,
                return failure  # or an answer about the account, the key or the endpoint
            unread = f" (its result answered {failure.reason} {failure.detail})".rstrip()
        break
    if result is not None:  # a failed render that still names a video: keep its address
        video = result.get("video") if isinstance(result, dict) else None
        if isinstance(video, dict) and video.get("url"):
            status_error = f"{status.error} (its result still names a video: {video['url']})"
            return Failure("failed", "render_error", detail=": ".join(
                str(part) for part in (status.error_type, status_error) if part),
                video_url=str(video["url"]))
    return Failure("failed", "render_error", detail=": ".join(
        str(part) for part in (status.error_type, status.error) if part) + unread)


def render_video(endpoint: str, arguments: dict, on_update=None, on_queued=None,
                 within: float | None = None) -> dict:
    """Submit once, wait at most `within` seconds (RENDER_WITHIN unless given) and fetch:
    the result, or an error naming the request. The deadline is read at each status fal
    answers, and between the tries of a poll fal does not answer (once fal has answered
    one), so a wait runs past `within` by about one poll's own tries in fal_client and one
    pause between polls; with no answer at all, it ends after PATIENCE failed polls
    (ResultPending).
    on_queued(request_id) hears the id as soon as fal has queued the request; without one,
    the id is printed before the wait. The submit carries start_timeout, so fal_client
    does not send it again after a timeout; after a dropped connection, or a 502 to 504
    from fal's proxy, it still does (the retries rule)."""
    need_key()  # no key: stop here, with nothing sent
    json.dumps(arguments)  # arguments that JSON cannot carry fail here, with nothing sent
    try:
        handle = fal_client.submit(endpoint, arguments=arguments, start_timeout=START_WITHIN)
    except httpx.TransportError as err:  # no answer: fal may have it, under an id never heard
        raise SubmitUnanswered(endpoint, err) from err
    except FalClientHTTPError as err:  # fal answered with an error and named no request
        if err.status_code > 500 and not start_ran_out(err):  # may have reached fal: kept
            raise SubmitUnanswered(endpoint, err) from err
        raise RenderFailed(None, classify(err)) from err
    except Exception as err:  # an answer fal_client cannot read (a 200 that is not JSON):
        raise SubmitUnanswered(endpoint, err) from err  # fal may have queued it all the same
    if on_queued is None:
        print(f"queued {handle.request_id} on {endpoint}")
    else:
        on_queued(handle.request_id)
    overdue = give_up_after(RENDER_WITHIN if within is None else within)

    def update(status: fal_client.Status) -> None:
        overdue(status)
        if on_update is not None:
            on_update(status)

    try:
        return wait_for_result(endpoint, handle.request_id, update)
    except Overdue as late:  # fal still has it: name it, so it is fetched, never sent again
        raise Overdue(f"{handle.request_id}: {late}; fetch it later by its id "
                      "(wait_for_result again, with a deadline)", handle.request_id) from late
    except (RenderFailed, ResultPending):
        raise  # each names the request already
    except Exception as err:  # an answer fal_client cannot read (a status word it does not
        raise ResultPending(handle.request_id, err) from err  # know, a result that is not
        # JSON): fal still has the render, so it is fetched later by its id, never sent again
# --8<-- [end:fetch]


# --8<-- [start:batch]
import hashlib
import os
import threading
from pathlib import Path

STOP_SUBMITTING = {"account_locked", "http_401", "http_404", "busy",  # fal would refuse the rest
                   "submit_unexpected"}  # or a submit's answer made no sense: a person looks
NOT_QUEUED = ("locked", "key refused", "endpoint unknown")  # turned away: sent again
#                                                             once the cause is fixed
NOT_QUEUED_BY = {"account_locked": "locked", "http_401": "key refused",
                 "http_404": "endpoint unknown"}
SETTLED = ("kept", "no video", "failed with video", "refused", "stuck")  # left alone
MAX_FOLLOWS = 3  # runs that cannot settle a render before a person takes it: our figure


def no_video_will_come(failure: Failure) -> bool:
    """Whether fal's answer ends this render without a video (a block, a refused input, a
    failed or cancelled render, a result without one). A 401 or a 403 is about the key or
    the account, a 404 (fal not knowing the request) may be a mistyped endpoint, and an
    answer fal documents nothing about (a 400 or a 410 to a status poll) says nothing of
    the render either: it may have finished, so it stays open and later runs follow it
    again (all but a 401 or a 403 count toward MAX_FOLLOWS, after which it is 'stuck', for
    a person, as the render queue hands such an answer to one)."""
    return failure.reason != "account_locked" and not failure.reason.startswith("http_")


def asked(arguments: dict) -> str:
    """A fingerprint of what a render asks for: a changed request under a name the ledger
    knows is caught, never followed as the old render nor sent as if it were new."""
    return hashlib.sha256(json.dumps(arguments, sort_keys=True).encode()).hexdigest()[:16]


HELD = {}  # the ledgers' lock files this process holds, open until it exits


def hold(lock: Path) -> None:
    """One run at a time per ledger: two would each send what the other is sending, and
    the later write would wipe the other's request ids. Stops at once, sending nothing,
    while another process holds the lock (it goes when that process ends, crash included)."""
    lock = lock.resolve()
    if lock in HELD:
        return
    handle = lock.open("a+")
    try:
        if os.name == "nt":
            import msvcrt
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl
            fcntl.lockf(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # per process
    except OSError:
        handle.close()
        raise SystemExit(f"another run is using the ledger ({lock} is held): nothing was "
                         "sent; run this again once it has ended") from None
    HELD[lock] = handle


class Ledger:
    """What became of each render, by name: one JSON file, rewritten whole each time, and
    used by one run at a time (the lock file beside it)."""

    def __init__(self, path: Path):
        self.path, self.lock = Path(path), threading.Lock()
        hold(self.path.with_name(self.path.name + ".lock"))
        self.entries = json.loads(self.path.read_text()) if self.path.exists() else {}

    def get(self, name: str) -> dict:
        with self.lock:
            return dict(self.entries.get(name, {}))

    def note(self, name: str, **fields) -> None:
        with self.lock:
            self.entries[name] = {**self.entries.get(name, {}), **fields}
            partial = self.path.with_name(self.path.name + ".part")
            with partial.open("w") as out:
                out.write(json.dumps(self.entries, indent=2))
                out.flush()
                os.fsync(out.fileno())  # on disk before the rename, even across a power cut
            os.replace(partial, self.path)  # never half a ledger on disk


def next_step(name: str, ledger: Ledger, not_sent: dict,
              arguments: dict | None = None) -> tuple[str, str | None]:
    """What this run does with one render: ("skip", None), ("follow", request_id) or
    ("send", None). Before a send, the ledger says 'submitting' and what it asks for."""
    entry = ledger.get(name)
    if arguments and entry.get("state") not in NOT_QUEUED \
            and entry.get("asked") not in (None, asked(arguments)):  # {}: follow only
        earlier = entry.get("request_id")  # paid for: still to follow and keep
        not_sent[name] = Failure("failed", "changed", detail=f"{name} was sent before with "
                                 "other arguments: give the changed request a new name" + (
                                     f"; the earlier render, {earlier}, is still followed "
                                     f"and kept when {name} is passed with "
                                     "{} as its arguments" if earlier and entry.get("state")
                                     not in SETTLED else "") + (
                                     "; its earlier submit got no answer, so fal may have "
                                     "it and bill it: look it up first" if entry.get("state")
                                     == "submitting" else ""))
        return "skip", None
    if entry.get("state") in SETTLED:
        return "skip", None
    if entry.get("request_id"):
        return "follow", entry["request_id"]  # sent before: follow it, never send it again
    if entry.get("state") == "submitting":  # a submit that heard no request id: fal may have it
        not_sent[name] = Failure("unanswered", "no_answer", detail="sent before, and no request "
                                 f"id came back ({entry.get('why') or 'no answer'}): fal may "
                                 "have it; look it up before you send it again")
        return "skip", None
    if arguments == {}:  # follow only, and nothing to follow: never send an empty request
        return "skip", None
    # a copy: threads following renders may add to not_sent meanwhile
    if any(failure.reason in STOP_SUBMITTING for failure in list(not_sent.values())):
        not_sent[name] = Failure("failed", "not_sent", detail="the batch stopped")
        return "skip", None
    ledger.note(name, state="submitting",
                **({"asked": asked(arguments)} if arguments is not None else {}))
    return "send", None


def sent(name: str, ledger: Ledger, not_sent: dict, handle=None, err=None) -> str | None:
    """Record what a submit came back with: the request id to follow, or None."""
    if err is None:  # the id goes on screen first, so a ledger that cannot be written loses
        print(f"{name}: queued as {handle.request_id}")  # nothing a person cannot find
        ledger.note(name, state="queued", request_id=handle.request_id, why="")
        return handle.request_id
    not_sent[name] = classify(err)
    reason = not_sent[name].reason
    if reason in NOT_QUEUED_BY:  # the account, the key or the endpoint: taken as not queued
        ledger.note(name, state=NOT_QUEUED_BY[reason], why=str(not_sent[name]))
    elif isinstance(err, FalClientHTTPError) and (err.status_code <= 500
                                                  or start_ran_out(err)):  # fal refused it
        ledger.note(name, state="refused", why=str(not_sent[name]))
    else:  # no answer, or a 5xx above 500: 'submitting' stays, since fal may have it
        ledger.note(name, why=str(not_sent[name]))
    return None


def submit_all(endpoint: str, requests: dict[str, dict], ledger: Ledger,
               not_sent: dict | None = None) -> tuple[dict, dict]:
    """Submit each request at most once, ever: the request ids to follow, by name, and why
    the others were not sent in this run. A request the ledger already holds an id for is
    followed, never sent again, so a second run pays for nothing the first one sent. Pass
    the not_sent of earlier calls in this run, so a stop they met holds here too."""
    need_key()
    queued, not_sent = {}, ({} if not_sent is None else not_sent)
    for name, arguments in requests.items():
        step, request_id = next_step(name, ledger, not_sent, arguments)
        if step == "send":
            try:
                handle = fal_client.submit(endpoint, arguments=arguments,
                                           start_timeout=START_WITHIN)
            except (FalClientHTTPError, httpx.TransportError) as err:
                request_id = sent(name, ledger, not_sent, err=err)
            except Exception as err:  # an answer we cannot read, or a bug: fal may have it
                not_sent[name] = Failure("failed", "submit_unexpected", detail=repr(err))
                ledger.note(name, why=f"unexpected at submit: {err!r}")  # 'submitting' stays
                raise
            else:
                request_id = sent(name, ledger, not_sent, handle)
        if request_id is not None:
            queued[name] = request_id
    return queued, not_sent


def collect_all(endpoint: str, queued: dict[str, str], ledger: Ledger | None = None,
                within: float = RENDER_WITHIN, not_sent: dict | None = None) -> tuple[dict, dict]:
    """Wait for every queued render, within one deadline for the whole call, and fetch its
    result. Returns the results by name, and by name what stopped the others (a block, a
    failed render, a result or a render not back in time, or a bug of ours); queued still
    holds each one's request id. One failure never costs the others their results. Given
    the ledger, how each of the others ended is written there: a render fal ended with no
    video is 'no video' (or 'failed with video', see settle_failed), settled, so a later
    run reports it without fetching it again; one
    not back in time, or whose result did not come, stays 'queued' for the next run, and
    after MAX_FOLLOWS runs like that is 'stuck', for a person; one whose answer was about
    the key or the account (a 401, a 403) stays 'queued' without counting a run, and goes
    into not_sent when given, so stop_if_locked stops the run after the results in hand."""
    results, failed = {}, {}
    in_time = give_up_after(within)
    for name, request_id in queued.items():
        try:
            results[name] = wait_for_result(endpoint, request_id, on_update=in_time)
        except Exception as err:  # kept by name; the others still come back
            failed[name] = err
            if ledger is None:
                continue
            if isinstance(err, RenderFailed) and no_video_will_come(err.failure):
                settle_failed(name, ledger, err)
            elif isinstance(err, RenderFailed):  # follow it later; the account's runs are free
                unsettled(name, ledger, str(err), counts=not about_the_account(err.failure))
                if not_sent is not None and about_the_account(err.failure):
                    not_sent[name] = err.failure  # nothing new goes out after a 401 or 403
            elif isinstance(err, (ResultPending, Overdue)):  # follow it later
                unsettled(name, ledger, str(err))
            else:  # a bug of ours, or an answer we cannot read: counted like the others
                unsettled(name, ledger, f"unexpected: {err!r}")
    return results, failed


def settle_failed(name: str, ledger: Ledger, failed: RenderFailed) -> None:
    """A render fal ended without a video it stands by: 'no video', settled. One whose
    result still names a video despite the error is 'failed with video', settled too, with
    the video's address: fal's FAQ keeps it at least 7 days, so a person decides in that
    time whether to download it; no run fetches or renders it again."""
    url = failed.failure.video_url
    ledger.note(name, state="failed with video" if url else "no video", why=str(failed),
                **({"video_url": url} if url else {}))


def about_the_account(failure: Failure) -> bool:
    """A 401 or a 403: the key or the account, which says nothing about the render."""
    return failure.reason in ("account_locked", "http_401")


def unsettled(name: str, ledger: Ledger, why: str, counts: bool = True, final: bool = False,
              **fields) -> None:
    """One more run that could not settle a render: 'queued' for the next run, or after
    MAX_FOLLOWS runs 'stuck', which no run asks fal about again: a person takes it from
    there, with its request id (fetch it by that id, or cancel it). A run stopped by the
    key or the account (counts=False) leaves the count as it was; final=True (a file's
    address refused, KeepFailed.final) makes it 'stuck' at once, as asking again will not
    help."""
    follows = ledger.get(name).get("follows", 0) + (1 if counts else 0)
    ledger.note(name, state="stuck" if final or follows >= MAX_FOLLOWS else "queued",
                follows=follows, why=why, **fields)


def stop_if_locked(not_sent: dict) -> None:
    """A locked account, or a key fal refuses, refuses everything: stop here, and let a
    person look."""
    for failure in list(not_sent.values()):  # a copy: followers may still add to it
        if failure.reason == "account_locked":
            raise SystemExit(f"the fal account is locked, nothing more is sent: {failure.detail}"
                             "; once it is unlocked, run this again to send what was not sent")
        if failure.reason == "http_401":
            raise SystemExit(f"fal refused the key (401), nothing more is sent: {failure.detail}"
                             "; set a FAL_KEY fal accepts and run this again")
# --8<-- [end:batch]


# --8<-- [start:keep]
import hashlib
import os
from pathlib import Path

DOWNLOAD_TIMEOUT = httpx.Timeout(60.0, connect=10.0)  # between bytes, not for the whole file


class KeepFailed(Exception):
    """The video did not arrive whole, so nothing was stored. The render has finished: try
    again soon, while its URL still answers, and never render it again to get the file.
    final: the address itself was refused (a 4xx other than 408 or 429), so asking it again
    at once will not help: a person looks (fal's FAQ keeps a file at least 7 days)."""

    def __init__(self, url: str, why: str, final: bool = False):
        super().__init__(f"{url}: {why}; nothing was stored")
        self.url, self.final = url, final


def same_file(path: Path, size: int, sha256: str) -> bool:
    """Whether the file at path holds exactly these bytes."""
    if path.stat().st_size != size:
        return False
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest() == sha256


def keep_video(result: dict, target: str | Path) -> dict:
    """Download a finished render's video to target and check it: what to record beside
    the request id. A failed or wrong download leaves nothing at target, and a file kept
    there before is never replaced: the new one goes beside it, numbered (name.2.mp4),
    unless it holds the very same bytes (a run died after keeping it and before writing
    that down), and then that file is the one recorded, with no copy made.
    One process at a time per target name: two keeping to one name at once may collide.
    A process killed outright mid-download (kill -9, a power cut) leaves its .part file
    beside the target, which no later run reads or removes: delete it while nothing runs."""
    video = result["video"]
    url, target = video["url"], Path(target)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")  # this process's own
    for attempt in range(1, PATIENCE + 1):
        digest, size = hashlib.sha256(), 0
        try:
            with httpx.stream("GET", url, follow_redirects=True,
                              timeout=DOWNLOAD_TIMEOUT) as response:
                response.raise_for_status()  # an error page is not a video
                with partial.open("wb") as out:
                    for chunk in response.iter_bytes():
                        out.write(chunk)
                        digest.update(chunk)
                        size += len(chunk)
                    out.flush()
                    os.fsync(out.fileno())
            break
        except httpx.HTTPError as err:  # an error page, no answer, or a broken stream
            partial.unlink(missing_ok=True)
            code = err.response.status_code if isinstance(err, httpx.HTTPStatusError) else 0
            refused = 400 <= code < 500 and code not in (408, 429)  # gone, or not ours
            if attempt == PATIENCE or refused:
                raise KeepFailed(url, f"HTTP {code}" if code else repr(err), refused) from err
            time.sleep(backoff(attempt))
        except OSError as err:  # the disk refused the file: not now; a later pass, with room
            partial.unlink(missing_ok=True)
            raise KeepFailed(url, f"could not write {partial}: {err}") from err
        except BaseException:  # Ctrl-C, or a bug of ours: the half-written file goes too
            partial.unlink(missing_ok=True)
            raise
    with partial.open("rb") as file:
        head = file.read(8)
    expected = video.get("file_size")
    problem = ("not an MP4 file" if head[4:8] != b"ftyp"  # an MP4 opens with its ftyp box
               else f"{size} bytes where fal said {expected}"
               if isinstance(expected, int) and size != expected else "")
    if problem:
        partial.unlink()
        raise KeepFailed(url, problem)
    kept, number = target, 1
    while kept.exists():  # each paid render keeps its own file
        if same_file(kept, size, digest.hexdigest()):  # this one, kept before: no copy
            partial.unlink()
            return {"path": str(kept), "bytes": size, "sha256": digest.hexdigest(), "url": url}
        number += 1
        kept = target.with_name(f"{target.stem}.{number}{target.suffix}")
    os.replace(partial, kept)  # the file appears whole, or not at all
    return {"path": str(kept), "bytes": size, "sha256": digest.hexdigest(), "url": url}
# --8<-- [end:keep]
