"""The one emitter of fal calls as code: JSON, cURL, Python, TypeScript, a webhook.

The request builder's tabs and the gallery's "Reproduce it" tabs are written
here, from an endpoint and the input JSON, so a snippet always sends exactly
those arguments. docs/assets/seedance.js writes the same text in the reader's
browser, byte for byte (tests/test_builder.py holds the two to each other).

Long strings in Python are split over lines as adjacent literals, at spaces,
so the pieces joined are the string itself; JSON and TypeScript carry the
input as JSON.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: a string longer than this (in characters) is split over lines in Python
WRAP = 64
#: the queue's host (fal_client reads FAL_QUEUE_RUN_HOST; cURL users type it)
QUEUE_HOST = "queue.fal.run"
#: where the webhook variant asks fal to deliver
WEBHOOK_URL = "https://your-server.example/fal/webhook"
#: the variants, in the order the builder shows them: (id, tab label)
VARIANTS = (("json", "JSON"), ("curl", "cURL"), ("python", "Python"),
            ("typescript", "TypeScript"), ("webhook", "Webhook"))
_TOKEN = re.compile(r"[^ ]+ *| +")


def pieces(text: str, width: int = WRAP) -> list[str]:
    """``text`` cut at spaces into pieces of about ``width`` characters (a word
    longer than that stays whole); the pieces joined are ``text``."""
    if len(text) <= width:
        return [text]
    out: list[str] = []
    current = ""
    for token in _TOKEN.findall(text):
        if current and len(current) + len(token) > width:
            out.append(current)
            current = ""
        current += token
    out.append(current)
    return out


def py_literal(value: Any, indent: int = 0) -> str:
    """``value`` (JSON data) as a Python literal, four spaces per level."""
    pad, inner = " " * indent, " " * (indent + 4)
    if isinstance(value, bool):
        return "True" if value else "False"
    if value is None:
        return "None"
    if isinstance(value, str):
        parts = pieces(value)
        if len(parts) == 1:
            return json.dumps(value, ensure_ascii=False)
        lines = "\n".join(inner + json.dumps(p, ensure_ascii=False) for p in parts)
        return "(\n" + lines + "\n" + pad + ")"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, list):
        if not value:
            return "[]"
        items = ",\n".join(inner + py_literal(v, indent + 4) for v in value)
        return "[\n" + items + ",\n" + pad + "]"
    items = ",\n".join(f"{inner}{json.dumps(k)}: {py_literal(v, indent + 4)}"
                       for k, v in value.items())
    return "{\n" + items + ",\n" + pad + "}"


def json_code(arguments: dict[str, Any]) -> str:
    return json.dumps(arguments, indent=2, ensure_ascii=False) + "\n"


def curl_code(endpoint: str, arguments: dict[str, Any]) -> str:
    """The request as cURL to fal's queue (the body from a here-document)."""
    return (_comment(CURL_NOTE, "#") +
            f'curl -X POST "https://{QUEUE_HOST}/{endpoint}" \\\n'
            '  -H "Authorization: Key $FAL_KEY" \\\n'
            '  -H "Content-Type: application/json" \\\n'
            "  --data-binary @- <<'JSON'\n"
            + json_code(arguments) + "JSON\n")


#: what the Python and TypeScript variants say above the request id they print
KEEP_ID = ("Keep this request id. If anything below fails (the wait, a status poll,\n"
           "the result after a 5xx or no answer, the download), ask\n"
           "{status} until it says COMPLETED (with an\n"
           "error, the render failed), then fetch it with\n"
           "{fetch} and keep the file, never by\n"
           "running this again: a second submit is a second paid render.")
#: what the log loops say: fal does not say whether a status repeats the whole log so far
NEW_LINES = "an update may repeat earlier log lines or bring only new ones: print each once"
#: what the Python and TypeScript variants say above the address they print
KEEP_FILE = "fal's FAQ promises this address for at least 7 days by default: keep it now"
#: what the Python and TypeScript variants say where fetching the result fails
RESULT_NOTE = ("A 422 here is a content block, or an input fal refused: fetching again\n"
               "is not expected to change it. After a 5xx or no answer, fetch again by the id.")
#: how long the Python variant waits for a render, and why that figure
RENDER_DEADLINE = 1800
DEADLINE_NOTE = "our deadline: fal publishes no render time"
#: the seconds a render may wait in fal's queue before it starts (our figure, as the guides')
START_TIMEOUT = 600
#: what the Python variants say above a submit that carries start_timeout
START_NOTE = ("start_timeout: the seconds it may wait in fal's queue before it starts\n"
              "(our figure). With it, fal_client never sends the submit again after a\n"
              "timeout, which could queue a second paid render; after a dropped\n"
              "connection, or a 502 to 504 from fal's proxy, it still does. If this\n"
              "submit raises with no answer or a 502 to 504, fal may still have queued\n"
              "it: look for it before you run this again (the retries rule).")
#: how the Python variant keeps the file: whole and checked, or nothing under its name
DOWNLOAD_PY = '''video = result.get("video") or {}
if not video.get("url"):  # finished, yet no file named: what fal sent, and the id
    raise SystemExit(f"{handle.request_id}: the result names no video: {str(result)[:300]}")
path, part = f"{handle.request_id}.mp4", f"{handle.request_id}.mp4.part"
try:
    with httpx.stream("GET", video["url"], follow_redirects=True,
                      timeout=httpx.Timeout(60.0, connect=10.0)) as got:
        got.raise_for_status()
        with open(part, "wb") as out:
            for chunk in got.iter_bytes():
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())  # on disk before the rename, even across a power cut
    with open(part, "rb") as check:
        is_mp4 = check.read(8)[4:8] == b"ftyp"  # an MP4 opens with its ftyp box
    size, expected = os.path.getsize(part), video.get("file_size")
    if not is_mp4 or expected not in (None, size):  # fal's figure, where it gives one
        raise SystemExit(f"{handle.request_id}: the download is not the file fal made")
except BaseException as err:  # nothing half-written stays: fetch it again by the id
    if os.path.exists(part):
        os.remove(part)
    if isinstance(err, (httpx.HTTPError, OSError)):  # the file's server, or our disk
        raise SystemExit(f"{handle.request_id}: the download failed ({err!r}): "
                         "fetch the result again by this id") from None
    raise
os.replace(part, path)  # a file under its name is a whole file
print("kept", path, "seed", result.get("seed"))  # fal names it; None if not
'''
#: how the TypeScript variant keeps the file: whole and checked, or nothing under its name
DOWNLOAD_TS = '''const video = result.data?.video;
if (!video?.url) { // finished, yet no file named: what fal sent, and the id
  const sent = JSON.stringify(result.data).slice(0, 300);
  throw new Error(`${requestId}: the result names no video: ${sent}`);
}
const path = `${requestId}.mp4`;
let bytes: Buffer;
try {
  const got = await fetch(video.url, {
    signal: AbortSignal.timeout(600_000), // ten minutes for the file: our figure
  });
  if (!got.ok) throw new Error(`the file's server answered ${got.status}`);
  bytes = Buffer.from(await got.arrayBuffer());
} catch (err) {
  const why = String(err);
  throw new Error(`${requestId}: the download failed (${why}): fetch it again by this id`);
}
const expected = video.file_size ?? bytes.length; // fal's figure, where it gives one
if (bytes.toString("latin1", 4, 8) !== "ftyp" || bytes.length !== expected) {
  throw new Error(`${requestId}: the download is not the file fal made`);
}
try {
  const part = await open(path + ".part", "w");
  try {
    await part.writeFile(bytes);
    await part.sync(); // on disk before the rename, even across a power cut
  } finally {
    await part.close();
  }
  await rename(path + ".part", path); // a file under its name is a whole file
} catch (err) {
  await rm(path + ".part", { force: true }); // no half-written file left behind
  const why = String(err);
  throw new Error(`${requestId}: the file could not be written (${why}): fetch it again`);
}
console.log("kept", path, "seed", result.data.seed);
'''
#: what the TypeScript variant says above its submit
TS_SUBMIT_NOTE = ("@fal-ai/client, as we read its source, sends a submit again by itself\n"
                  "after a 429, 502, 503 or 504 (up to three more times), and a 502 to 504\n"
                  "can come after fal queued the request: after one, look for a second\n"
                  "request before you send this again (the retries rule).")
#: what the cURL variant says about the end of a render
CURL_NOTE = ("Submit to fal's queue. The answer carries status_url and response_url:\n"
             "GET them with the same Authorization header, the first until it says\n"
             "COMPLETED, then the second for the video. A COMPLETED status that\n"
             "carries an error is a failed render, and a content block answers the\n"
             "second GET with a 422 content_policy_violation.")


def _comment(text: str, mark: str) -> str:
    return "".join(f"{mark} {line}\n" for line in text.split("\n"))


def python_code(endpoint: str, arguments: dict[str, Any]) -> str:
    """The request as a Python script for fal_client: it submits, prints the request
    id at once, prints each of fal's log lines once while it waits, then fetches the
    result (by that id, so a failed fetch is fetched again, never submitted again) and
    keeps the file, whole or not at all, under the request id."""
    keep = KEEP_ID.format(status="fal_client.status(endpoint, request_id)",
                         fetch="fal_client.result(endpoint, request_id)")
    return ("import os\nimport time\n\nimport fal_client\nimport httpx\n\n"
            f"endpoint = {json.dumps(endpoint)}\n"
            + _comment(START_NOTE, "#") +
            "handle = fal_client.submit(\n"
            "    endpoint,\n"
            f"    arguments={py_literal(arguments, 4)},\n"
            f"    start_timeout={START_TIMEOUT},\n"
            ")\n"
            + _comment(keep, "#") +
            'print("request id:", handle.request_id)\n\n'
            f"give_up_at = time.monotonic() + {RENDER_DEADLINE}  # {DEADLINE_NOTE}\n"
            "# (read at each status fal answers: fal_client's own retries of a poll can pass it)\n"
            f"seen = set()  # {NEW_LINES}\n"
            "PASSING = (408, 409, 429)  # with any 5xx: answers that asking again later may "
            "change\n"
            "try:\n"
            "    for update in handle.iter_events(with_logs=True, interval=1.0):  # a poll a "
            "second\n"
            "        if isinstance(update, (fal_client.InProgress, fal_client.Completed)) "
            "and update.logs:\n"
            "            for log in update.logs:\n"
            '                line = (log.get("timestamp"), log["message"])\n'
            "                if line not in seen:\n"
            "                    seen.add(line)\n"
            '                    print(log["message"])\n'
            "        if not isinstance(update, fal_client.Completed) "
            "and time.monotonic() > give_up_at:\n"
            '            raise SystemExit(f"{handle.request_id}: not finished in time: fetch it '
            'later by this id")\n'
            "except httpx.TransportError as err:  # no answer, after fal_client's own tries\n"
            '    raise SystemExit(f"{handle.request_id}: no status ({err!r}): ask again later by '
            'this id")\n'
            "except fal_client.FalClientHTTPError as err:\n"
            "    # passing, unless it is a 504 saying our start_timeout ran out; a 403 is a "
            "locked account\n"
            '    ran_out = err.status_code == 504 and "x-fal-request-timeout-type" in {\n'
            "        key.lower() for key in err.response_headers or {}}\n"
            "    passing = (err.status_code in PASSING or err.status_code >= 500) and not "
            "ran_out\n"
            '    later = ": ask again later by this id" if passing else ""\n'
            '    raise SystemExit(f"{handle.request_id}: no status: {err.status_code}: '
            '{err.message}{later}")\n\n'
            "if update.error:  # a failed render can still end COMPLETED: fal's words, the id\n"
            '    raise SystemExit(f"{handle.request_id}: {update.error_type}: {update.error}")\n'
            "try:\n"
            "    result = handle.get()  # one more status check, then the result\n"
            "except fal_client.FalClientHTTPError as err:\n"
            + _comment(RESULT_NOTE, "    #") +
            "    passing = err.status_code in PASSING or err.status_code >= 500\n"
            '    again = ": fetch it again by this id" if passing else ""\n'
            '    raise SystemExit(f"{handle.request_id}: {err.status_code}: '
            '{err.message}{again}")\n'
            "except httpx.TransportError as err:  # no answer: the render is done, fetch it "
            "again\n"
            '    raise SystemExit(f"{handle.request_id}: no answer for the status or the result '
            '({err!r}): "\n'
            '                     "fetch it again by this id")\n'
            f"# {KEEP_FILE}\n"
            + DOWNLOAD_PY)


def typescript_code(endpoint: str, arguments: dict[str, Any]) -> str:
    """The request as TypeScript for @fal-ai/client, as the Python variant does it:
    submit, log the request id, log each new log line, then fetch the result."""
    body = json.dumps(arguments, indent=2, ensure_ascii=False).replace("\n", "\n  ")
    keep = KEEP_ID.format(status="fal.queue.status(endpoint, { requestId })",
                         fetch="fal.queue.result(endpoint, { requestId })")
    return ('import { open, rename, rm } from "node:fs/promises";\n\n'
            'import { ApiError, fal } from "@fal-ai/client";\n\n'
            "fal.config({ credentials: process.env.FAL_KEY });\n\n"
            f"const endpoint = {json.dumps(endpoint)};\n"
            + _comment(TS_SUBMIT_NOTE, "//") +
            "const { request_id: requestId } = await fal.queue.submit(endpoint, {\n"
            f"  input: {body},\n"
            f"  startTimeout: {START_TIMEOUT}, // seconds it may wait in fal's queue before it "
            "starts: our figure\n"
            "});\n"
            + _comment(keep, "//") +
            'console.log("request id:", requestId);\n\n'
            "const giveUp = setTimeout(() => {\n"
            '  console.error(`${requestId}: not finished in time: fetch it later by this id`);\n'
            "  process.exit(1);\n"
            f"}}, {RENDER_DEADLINE} * 1000); // {DEADLINE_NOTE}\n"
            f"const seen = new Set<string>(); // {NEW_LINES}\n"
            "const PASSING = [408, 409, 429]; // with any 5xx: answers asking again may change\n"
            "const ended = await fal.queue.subscribeToStatus(endpoint, {\n"
            "  requestId,\n"
            "  logs: true,\n"
            "  pollInterval: 1000, // a poll a second (the client's default is two a second)\n"
            "  onQueueUpdate: (update) => {\n"
            '    if (update.status === "IN_QUEUE") return;\n'
            "    for (const log of update.logs ?? []) {\n"
            "      const line = `${log.timestamp} ${log.message}`;\n"
            "      if (!seen.has(line)) {\n"
            "        seen.add(line);\n"
            "        console.log(log.message);\n"
            "      }\n"
            "    }\n"
            "  },\n"
            "}).catch((err) => { // no status, after the client's own tries\n"
            "  // passing, or no answer, unless our start_timeout ran out; a 403 is a locked\n"
            "  // account: stop, call a person\n"
            "  const passing = !(err instanceof ApiError) ||\n"
            "    ((PASSING.includes(err.status) || err.status >= 500) && !err.isUserTimeout);\n"
            "  const later = passing ? \": ask again later by this id\" : \"\";\n"
            "  throw new Error(`${requestId}: no status (${String(err)})${later}`);\n"
            "});\n"
            "clearTimeout(giveUp);\n"
            "// a failed render can still end COMPLETED with error set, a field fal sends and the\n"
            "// client's types leave out: fal's words, the id\n"
            'if ("error" in ended && ended.error) {\n'
            "  throw new Error(`${requestId}: ${String(ended.error)}`);\n"
            "}\n"
            "let result;\n"
            "try {\n"
            "  result = await fal.queue.result(endpoint, { requestId });\n"
            "} catch (err) {\n"
            + _comment(RESULT_NOTE, "  //") +
            "  const passing = !(err instanceof ApiError) || PASSING.includes(err.status) ||\n"
            "    err.status >= 500;\n"
            '  const again = passing ? ": fetch it again by this id" : "";\n'
            "  throw new Error(`${requestId}: ${String(err)}${again}`);\n"
            "}\n"
            f"// {KEEP_FILE}\n"
            + DOWNLOAD_TS)


def webhook_code(endpoint: str, arguments: dict[str, Any], verify_url: str) -> str:
    """The request submitted with a webhook: fal POSTs the result when it ends."""
    return ("import fal_client\n\n"
            "# fal POSTs the result to webhook_url when the render ends, and may\n"
            "# deliver it more than once. Verify each delivery before you trust it:\n"
            f"# {verify_url}\n"
            + _comment(START_NOTE, "#") +
            "handle = fal_client.submit(\n"
            f"    {json.dumps(endpoint)},\n"
            f"    arguments={py_literal(arguments, 4)},\n"
            f"    webhook_url={json.dumps(WEBHOOK_URL)},\n"
            f"    start_timeout={START_TIMEOUT},\n"
            ")\n"
            "print(handle.request_id)\n")


def all_code(endpoint: str, arguments: dict[str, Any], verify_url: str) -> dict[str, str]:
    """Every variant, by id."""
    return {"json": json_code(arguments), "curl": curl_code(endpoint, arguments),
            "python": python_code(endpoint, arguments),
            "typescript": typescript_code(endpoint, arguments),
            "webhook": webhook_code(endpoint, arguments, verify_url)}
