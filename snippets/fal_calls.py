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
from dataclasses import dataclass

import httpx
from fal_client.client import FalClientHTTPError

PASSING = (408, 409, 429)  # fal_client retries these itself, with backoff
FILTERS = {"generated_video": "output_filter", "prompt": "prompt_filter",
           "image_url": "likeness_filter", "image_urls": "likeness_filter"}


@dataclass(frozen=True)
class Failure:
    state: str  # the job's state: "blocked", "rejected" or "failed"
    reason: str  # what the retry policy reads
    field: str = ""  # the input the error names, the end of its loc
    detail: str = ""


def classify(err: Exception) -> Failure:
    """What an error from fal means for the job."""
    if isinstance(err, httpx.TransportError):  # no answer, after fal_client's own retries
        return Failure("failed", "no_answer", detail=repr(err))
    if not isinstance(err, FalClientHTTPError):
        return Failure("failed", "unexpected", detail=repr(err))
    detail = err.message  # fal's detail: a list for model errors, a string otherwise
    items = [i for i in detail if isinstance(i, dict)] if isinstance(detail, list) else []
    for item in items:
        if item.get("type") == "content_policy_violation":
            field = str((item.get("loc") or [""])[-1])
            why = ((item.get("ctx") or {}).get("extra_info") or {}).get("reason", "")
            return Failure("blocked", FILTERS.get(field, "content_filter"), field, why)
    if err.status_code == 422:
        first = items[0] if items else {}
        return Failure("rejected", "invalid_input", str((first.get("loc") or [""])[-1]),
                       str(first.get("msg", detail)))
    if err.status_code == 403:
        return Failure("failed", "account_locked", detail=str(detail))
    if err.status_code in PASSING:  # still failing after fal_client's retries
        return Failure("failed", "busy", detail=str(detail))
    if err.status_code >= 500:
        return Failure("failed", "server_error", detail=str(detail))
    return Failure("failed", f"http_{err.status_code}", detail=str(detail))
# --8<-- [end:classify]


# --8<-- [start:retry]
import random

MAX_ATTEMPTS = 2  # per job, the first one included
MIN_SECONDS = {{ duration_min() }}


def next_attempt(arguments: dict, failure: Failure) -> dict | None:
    """The arguments of the one retry the rule allows after this failure, or None."""
    if failure.reason == "server_error":
        return dict(arguments)  # fal queued nothing: the same request, later
    if failure.reason != "output_filter":
        return None  # a person changes the input, or stops the queue
    retry = dict(arguments)
    seed = arguments.get("seed")
    retry["seed"] = random.randrange(2**31) if seed is None else (seed + 1) % 2**31
    if arguments.get("duration", "auto") != "auto":  # two thirds, never under the minimum
        retry["duration"] = str(max(MIN_SECONDS, int(arguments["duration"]) * 2 // 3))
    return retry
# --8<-- [end:retry]


# --8<-- [start:backoff]
import random
import time

PATIENCE = 6  # tries of a status poll or a result GET before we hand the request back
BACKOFF_SECONDS = 0.5  # the first wait; each one after doubles, up to BACKOFF_CAP
BACKOFF_CAP = 30.0


def backoff(attempt: int) -> float:
    """Seconds to wait after failed try number attempt: doubling, capped, jittered."""
    return min(BACKOFF_CAP, BACKOFF_SECONDS * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
# --8<-- [end:backoff]


# --8<-- [start:cost]
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
    width, height = FRAME[arguments.get("resolution", "720p")][ratio]
    return height * width * (int(seconds) + video_input_seconds) * 24 / 1024


def attempt_cost(endpoint: str, arguments: dict, video_input_seconds: float = 0.0) -> float:
    """USD for one attempt; video_input_seconds is how long the reference clips run."""
    with_video = bool(arguments.get("video_urls"))
    if with_video != (video_input_seconds > 0):
        raise ValueError("pass video_input_seconds, the length of the reference clips, "
                         "exactly when the request sends video_urls")
    tokens = attempt_tokens(arguments, video_input_seconds)  # input seconds count too
    usd = tokens / 1000 * RATE_PER_1K["fast" if "/fast/" in endpoint else "standard"]
    return usd * REFERENCE_VIDEO_MULTIPLIER if with_video else usd
# --8<-- [end:cost]


# --8<-- [start:fetch]
import json

import fal_client

POLL_SECONDS = 1.0  # between status polls while a render runs


class RenderFailed(Exception):
    """fal answered, and this render will not come: read failure.reason."""

    def __init__(self, request_id: str | None, failure: Failure):
        super().__init__(f"{request_id or 'no request id'}: {failure.state}, "
                         f"{failure.reason} {failure.field} {failure.detail}".rstrip())
        self.request_id, self.failure = request_id, failure


class ResultPending(Exception):
    """fal has the request, but its result did not come back: fetch it later."""

    def __init__(self, request_id: str, error: Exception):
        super().__init__(f"{request_id}: no result yet ({error!r}); fetch it later with "
                         "fal_client.result(endpoint, request_id), never by submitting again")
        self.request_id = request_id


def passing(err: Exception) -> bool:
    """A failure that asking again may cure: no answer, 408, 409, 429 or a 5xx."""
    return isinstance(err, httpx.TransportError) or (
        isinstance(err, FalClientHTTPError)
        and (err.status_code in PASSING or err.status_code >= 500))


def fetch_result(endpoint: str, request_id: str) -> dict:
    """The result of a request fal has COMPLETED. It is done and paid for, so a
    failed GET is tried again; the request is never submitted again."""
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
    """Poll a queued request until it is COMPLETED, then fetch its result."""
    misses = 0
    while True:
        try:
            status = fal_client.status(endpoint, request_id, with_logs=True)
        except (FalClientHTTPError, httpx.TransportError) as err:
            if not passing(err):
                raise RenderFailed(request_id, classify(err)) from err
            misses += 1
            if misses == PATIENCE:
                raise ResultPending(request_id, err) from err
            time.sleep(backoff(misses))
            continue
        misses = 0
        if on_update is not None:
            on_update(status)
        if isinstance(status, fal_client.Completed):
            break
        time.sleep(POLL_SECONDS)
    if status.error:  # COMPLETED may carry an error: this render failed
        raise RenderFailed(request_id, Failure("failed", "render_error",
                                               detail=f"{status.error_type}: {status.error}"))
    return fetch_result(endpoint, request_id)


def render_video(endpoint: str, arguments: dict, on_update=None, on_queued=None) -> dict:
    """Submit once, wait and fetch: the result, or an error naming the request.
    on_queued(request_id) hears the id as soon as fal has queued the request."""
    try:
        handle = fal_client.submit(endpoint, arguments=arguments)
    except (FalClientHTTPError, httpx.TransportError) as err:
        raise RenderFailed(None, classify(err)) from err
    if on_queued is not None:
        on_queued(handle.request_id)
    return wait_for_result(endpoint, handle.request_id, on_update)
# --8<-- [end:fetch]


# --8<-- [start:batch]
STOP_SUBMITTING = {"account_locked", "busy"}  # fal would refuse the rest as well


def submit_all(endpoint: str, requests: dict[str, dict]) -> tuple[dict, dict]:
    """Submit each request once, in order: request ids by name, and failures by name
    for the ones fal did not queue."""
    queued, refused = {}, {}
    for name, arguments in requests.items():
        if any(f.reason in STOP_SUBMITTING for f in refused.values()):
            refused[name] = Failure("failed", "not_sent", detail="the batch stopped")
            continue
        try:
            queued[name] = fal_client.submit(endpoint, arguments=arguments).request_id
        except (FalClientHTTPError, httpx.TransportError) as err:
            refused[name] = classify(err)
    return queued, refused


def collect_all(endpoint: str, queued: dict[str, str]) -> tuple[dict, dict]:
    """The result of every queued render, each one paid for: a render that fails is
    recorded with its request id, and the others are still collected."""
    results, failed = {}, {}
    for name, request_id in queued.items():
        try:
            results[name] = wait_for_result(endpoint, request_id)
        except (RenderFailed, ResultPending) as err:
            failed[name] = err
    return results, failed


def stop_if_locked(refused: dict) -> None:
    """A locked account refuses everything: stop here, and let a person look."""
    for failure in refused.values():
        if failure.reason == "account_locked":
            raise SystemExit(f"the fal account is locked, nothing more is sent: {failure.detail}")
# --8<-- [end:batch]


# --8<-- [start:keep]
import hashlib
import os
from pathlib import Path

DOWNLOAD_TIMEOUT = httpx.Timeout(60.0, connect=10.0)  # between bytes, not for the whole file


class KeepFailed(Exception):
    """The video did not arrive whole, so nothing was stored. The render is done and paid
    for: try again soon, while its URL still answers."""

    def __init__(self, url: str, why: str):
        super().__init__(f"{url}: {why}; nothing was stored")
        self.url = url


def keep_video(result: dict, target: str | Path) -> dict:
    """Download a finished render's video to target and check it: what to record beside
    the request id. A failed or wrong download leaves nothing at target."""
    video = result["video"]
    url, target = video["url"], Path(target)
    partial = target.with_name(target.name + ".part")
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
        except (httpx.HTTPStatusError, httpx.TransportError) as err:
            partial.unlink(missing_ok=True)
            code = err.response.status_code if isinstance(err, httpx.HTTPStatusError) else 0
            if attempt == PATIENCE or (400 <= code < 500 and code != 429):  # gone, or refused
                raise KeepFailed(url, f"HTTP {code}" if code else repr(err)) from err
            time.sleep(backoff(attempt))
    with partial.open("rb") as file:
        head = file.read(8)
    expected = video.get("file_size")
    problem = ("not an MP4 file" if head[4:8] != b"ftyp"  # an MP4 opens with its ftyp box
               else f"{size} bytes where fal said {expected}"
               if isinstance(expected, int) and size != expected else "")
    if problem:
        partial.unlink()
        raise KeepFailed(url, problem)
    os.replace(partial, target)  # the file appears whole, or not at all
    return {"path": str(target), "bytes": size, "sha256": digest.hexdigest(), "url": url}
# --8<-- [end:keep]
