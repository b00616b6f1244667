"""The site's TypeScript samples type-check, with --strict, against the client they use.

Every TypeScript block a reader can copy (the home page's, the operations guide's webhook
verifier, the builder's TypeScript tab for each kind of request and each gallery card's)
is written to a file as the reader sees it and checked by the TypeScript compiler against
@fal-ai/client and Node's types, pinned in tests/typescript/package.json (``make ts-deps``
installs them). A type error fails the test with the sample's name and the line tsc
names. The webhook verifier is also compiled and run under Node against signed deliveries
from the fake fal; the samples that call fal are type-checked only.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest
from seedpress.content.clips import load_clips
from seedpress.content.pricing import load_pricing
from seedpress.pages.builder_markup import DEFAULT_REQUEST
from seedpress.request import Request, check_request
from seedpress.snippets import all_code, typescript_code
from support import ROOT, in_ci
from support.guide_code import TYPESCRIPT, code_blocks

pytestmark = pytest.mark.slow

MODULES = ROOT / "tests" / "typescript" / "node_modules"
#: what the operations guide says the verifier needs, and what the tsc flags mirror
COMPILER = {"strict": True, "target": "es2022", "module": "nodenext",
            "moduleResolution": "nodenext", "noEmit": True, "skipLibCheck": True,
            "types": ["node"]}
#: a sample that must not type-check: proves the client's and Node's types are loaded
CANARY = ('import { fal } from "@fal-ai/client";\n'
          'await fal.queue.submitt("bytedance/seedance-2.0/text-to-video", { input: {} });\n'
          "process.exitt(1);\n")
BUILDER_REQUESTS = {
    "builder-reference": DEFAULT_REQUEST,
    "builder-text-fast": Request(mode="text", tier="fast", duration="5", aspect_ratio="16:9",
                                 prompt="A lighthouse at dusk, waves below.", seed=7),
    "builder-image-end": replace(Request(mode="image", end_image=True, duration="auto",
                                         prompt="The kettle starts to steam."),
                                 generate_audio=False),
}


def _guide_samples(rel: str) -> dict[str, str]:
    blocks = code_blocks((ROOT / rel).read_text(encoding="utf-8"), TYPESCRIPT)
    return {f"{rel}:{b.line}": b.rendered(rel) for b in blocks}


def samples() -> dict[str, str]:
    """Every TypeScript block of every page, and the builder's tab for each request."""
    found: dict[str, str] = {}
    for page in sorted([*ROOT.glob("docs/*.md"), *ROOT.glob("posts/*.md")]):
        found.update(_guide_samples(str(page.relative_to(ROOT))))
    model = load_pricing(ROOT)
    for name, request in BUILDER_REQUESTS.items():
        verdict = check_request(model.limits, model, request)
        assert verdict.status != "refused", (name, verdict.errors)
        found[name] = all_code(verdict.endpoint, verdict.arguments,
                               "https://example.org/#verify")["typescript"]
    for clip in load_clips(ROOT, model).clips:
        found[f"gallery-{clip.id}"] = typescript_code(clip.endpoint, clip.arguments)
    return found


def _tsc() -> Path:
    tsc = MODULES / ".bin" / "tsc"
    if not tsc.exists():
        msg = f"{tsc} is missing: run `make ts-deps` (npm ci in tests/typescript)"
        if in_ci():
            pytest.fail(msg)
        pytest.skip(msg)
    return tsc


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Each sample's file name, and tsc's errors by file name (one run for all)."""
    tsc = _tsc()
    work = tmp_path_factory.mktemp("typescript")
    (work / "node_modules").symlink_to(MODULES, target_is_directory=True)
    files = {name: re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-") + ".mts"
             for name in [*samples(), "canary"]}
    for name, file in files.items():
        (work / file).write_text(CANARY if name == "canary" else samples()[name],
                                 encoding="utf-8")
    (work / "tsconfig.json").write_text(json.dumps(
        {"compilerOptions": COMPILER, "files": sorted(files.values())}))
    run = subprocess.run([str(tsc), "-p", str(work), "--pretty", "false"], cwd=work,
                         capture_output=True, text=True, timeout=300)
    errors: dict[str, list[str]] = {}
    for line in run.stdout.splitlines():
        m = re.match(r"(?P<file>[^(]+)\((?P<line>\d+),\d+\): (?P<error>error .*)", line)
        if m:
            errors.setdefault(Path(m["file"]).name, []).append(f"line {m['line']}: "
                                                               f"{m['error']}")
        elif line.strip():
            errors.setdefault("(tsc)", []).append(line)
    return files, errors


def test_the_check_catches_a_wrong_call_to_the_client_and_to_node(checked):
    files, errors = checked
    found = errors.get(files["canary"], [])
    assert any(e.startswith("line 2: ") and "'submitt'" in e for e in found), found
    assert any(e.startswith("line 3: ") and "'exitt'" in e for e in found), found
    assert "(tsc)" not in errors, errors["(tsc)"]


def test_the_pages_known_to_show_typescript_are_among_those_checked():
    """The home page's sample (a ```ts block in a tab) and the operations guide's verifier
    (a ```typescript block) are found; a page that gains one is checked without a change
    here."""
    shown = {name.split(":")[0] for name in samples() if ":" in name}
    assert {"docs/index.md", "posts/operating-seedance-on-fal.md"} <= shown


@pytest.mark.parametrize("name", sorted(samples()))
def test_the_sample_type_checks_with_strict(checked, name):
    files, errors = checked
    assert not errors.get(files[name]), f"{name}:\n" + "\n".join(errors[files[name]])


# -- the operations guide's TypeScript verifier, compiled and run --------------------------

VERIFIER = "posts/operating-seedance-on-fal.md"
JWKS_LINE = 'const JWKS_URL = "https://rest.alpha.fal.ai/.well-known/jwks.json";'
LISTEN = '.listen(8080, "127.0.0.1");'


def _verifier_source() -> str:
    (code,) = [code for name, code in samples().items()
               if name.startswith(VERIFIER + ":") and "verifyFalWebhook" in code]
    assert code.count(JWKS_LINE) == 1 and code.count(LISTEN) == 1, "the guide's block changed"
    return code


@pytest.fixture(scope="module")
def compiled_verifier(tmp_path_factory) -> Path:
    """The guide's block as JavaScript, by tsc, with the key set's address and the port as
    two placeholders a run fills in (the Python receiver's tests override the same two)."""
    tsc = _tsc()
    work = tmp_path_factory.mktemp("verifier")
    (work / "node_modules").symlink_to(MODULES, target_is_directory=True)
    source = (_verifier_source().replace(JWKS_LINE, "const JWKS_URL = process.env.JWKS_URL!;")
              .replace(LISTEN, '.listen(Number(process.env.PORT), "127.0.0.1");'))
    (work / "verify.mts").write_text(source, encoding="utf-8")
    (work / "tsconfig.json").write_text(json.dumps({"compilerOptions": {
        **COMPILER, "noEmit": False, "outDir": "out"}, "files": ["verify.mts"]}))
    run = subprocess.run([str(tsc), "-p", str(work), "--pretty", "false"], cwd=work,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    return work / "out" / "verify.mjs"


@pytest.fixture
def receiver(compiled_verifier, fake_fal):
    """Start the compiled verifier's server (a fresh key cache each time): its hook URL."""
    from support import free_port

    node = shutil.which("node")
    if node is None:
        msg = "node is not installed (Debian: apt-get install nodejs); run `make sysdeps`"
        if in_ci():
            pytest.fail(msg)
        pytest.skip(msg)
    servers = []

    def start() -> str:
        port = free_port()
        env = {**os.environ, "PORT": str(port), "JWKS_URL": fake_fal.jwks_url,
               "NODE_EXTRA_CA_CERTS": str(fake_fal.cert)}
        proc = subprocess.Popen([node, str(compiled_verifier)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        servers.append(proc)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                return f"http://127.0.0.1:{port}/hooks/fal"
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"the verifier stopped: {proc.communicate()[1]}")
                time.sleep(0.05)
        pytest.fail("the verifier did not listen")

    yield start
    for proc in servers:
        proc.terminate()
        proc.wait(timeout=10)


def _submitted(fake_fal, hook: str, prompt: str) -> str:
    import fal_client

    fake_fal.pace, fake_fal.polls_to_finish = "polls", 10**9  # it ends when a delivery says
    return fal_client.submit("bytedance/seedance-2.0/text-to-video", webhook_url=hook,
                             arguments={"prompt": prompt, "duration": "4"}).request_id


def test_the_typescript_verifier_answers_as_the_guide_says(receiver, fake_fal):
    """Signed deliveries from the fake fal (its key set served as fal serves it) get 200;
    a foreign key, a changed body, a stale timestamp or a short signature get 401; a
    missing header or a timestamp that is not at most 12 digits gets 400, as in the Python
    receiver; another path 404; a body over a megabyte 400."""
    import httpx

    hook = receiver()
    rid = _submitted(fake_fal, hook, "A paper boat on a puddle.")
    assert fake_fal.deliver(rid) == 200
    assert fake_fal.deliver(rid) == 200  # a redelivery: the check alone, no record of ids
    assert fake_fal.deliver(rid, foreign_key=True) == 401
    assert fake_fal.deliver(rid, body=b'{"request_id": "someone else"}') == 401
    assert fake_fal.deliver(rid, timestamp=int(time.time()) - 3600) == 401
    for header in ("X-Fal-Webhook-Request-Id", "X-Fal-Webhook-User-Id",
                   "X-Fal-Webhook-Timestamp", "X-Fal-Webhook-Signature"):
        assert fake_fal.deliver(rid, omit=header) == 400, header
    good = fake_fal.deliveries[0]
    short = {**good["headers"], "X-Fal-Webhook-Signature": "ab" * 10}
    assert httpx.post(hook, content=good["body"], headers=short).status_code == 401
    for stamp in ("000" + good["headers"]["X-Fal-Webhook-Timestamp"], "9" * 4301, "12.5"):
        shaped = {**good["headers"], "X-Fal-Webhook-Timestamp": stamp}
        assert httpx.post(hook, content=good["body"], headers=shaped).status_code == 400
    assert httpx.post(hook.replace("/hooks/fal", "/other"), content=good["body"],
                      headers=good["headers"]).status_code == 404
    assert httpx.post(hook, content=b"x" * 1_000_001).status_code == 400
    # read 90A: another path is 404 whatever its size; the size is judged on the hook only
    assert httpx.post(hook.replace("/hooks/fal", "/other"),
                      content=b"x" * 1_000_001).status_code == 404
    assert httpx.post(hook, content=good["body"], headers=good["headers"]).status_code == 200
    # fetched once: a signature no key verifies fetches the set again only once it is five
    # minutes old (REFETCH_AFTER_MS), so a stream of forged deliveries cannot hammer fal
    assert fake_fal.jwks_fetches == 1


@pytest.mark.parametrize("fault, status", [("jwks_not_json", 503), ("jwks_not_ed25519", 200)])
def test_the_typescript_verifier_on_a_key_set_it_cannot_use(receiver, fake_fal, fault, status):
    """A key set that is not JSON answers 503, so fal delivers again later; one that lists
    other kinds of key ahead of the Ed25519 ones still verifies with those."""
    fake_fal.inject(fault)
    hook = receiver()
    rid = _submitted(fake_fal, hook, f"A kite over a beach ({fault}).")
    assert fake_fal.deliver(rid) == status
