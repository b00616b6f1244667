"""Every CI workflow validates offline, pins its actions, and runs commands that exist here.

Also the pre-commit configuration: its hooks run commands this project has.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml
from seedpress.cli import build_parser
from support import BIN, ROOT

WORKFLOWS = sorted([*(ROOT / ".github" / "workflows").glob("*.yml"),
                    *(ROOT / ".github" / "workflows").glob("*.yaml")])
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$")
SEPARATORS = {"&&", "||", ";", "|", "&", "(", ")"}


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


def validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True, text=True, timeout=120)


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name} is not a YAML mapping"
    return data


def steps(workflow: dict):
    for job_id, job in (workflow.get("jobs") or {}).items():
        for step in job.get("steps") or []:
            yield job_id, step


def commands(script: str) -> list[list[str]]:
    """The simple commands of a shell script, as argument lists (env assignments dropped)."""
    script = re.sub(r"\$\{\{.*?\}\}", "X", script)
    script = script.replace("\\\n", " ")
    found: list[list[str]] = []
    for line in script.splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|()")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        current: list[str] = []
        for token in [*lexer, ";"]:
            if token in SEPARATORS or set(token) <= set(";&|()"):
                while current and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", current[0]):
                    current.pop(0)
                if current:
                    found.append(current)
                current = []
            else:
                current.append(token)
    return found


def check_seedpress(argv: list[str], where: str) -> None:
    """The arguments parse with the real `seedpress` parser (the verb and its flags exist)."""
    try:
        build_parser().parse_args(argv)
    except SystemExit as err:
        pytest.fail(f"{where}: `seedpress {' '.join(argv)}` is not a valid command ({err})")


def check_make(argv: list[str], where: str) -> None:
    """Each target exists; every seedpress command its recipe runs parses."""
    dry = subprocess.run(["make", "-n", *argv[1:]], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    if dry.returncode != 0:
        pytest.fail(f"{where}: `{' '.join(argv)}` fails here:\n{dry.stderr}")
    for cmd in commands(dry.stdout):
        if Path(cmd[0]).name == "seedpress":
            check_seedpress(cmd[1:], f"{where} (via make)")


def check_command(cmd: list[str], where: str) -> None:
    name = Path(cmd[0]).name
    if name == "make":
        check_make(cmd, where)
    elif name == "seedpress":
        check_seedpress(cmd[1:], where)
    elif cmd[0].startswith((".venv/", "scripts/", "./")):
        if not ((ROOT / cmd[0]).exists() or cmd[0].startswith(".venv/")):
            pytest.fail(f"{where}: {cmd[0]} does not exist in the repository")


# -- the workflows -------------------------------------------------------------------

def test_there_is_a_site_workflow():
    assert ROOT / ".github" / "workflows" / "site.yml" in WORKFLOWS


@pytest.mark.parametrize("path", WORKFLOWS, ids=_ids(WORKFLOWS))
def test_workflow_validates_against_the_github_schema(path: Path):
    result = validate(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path: Path):
    broken = tmp_path / "broken.yml"
    broken.write_text("name: broken\non: [push]\njobs:\n  build:\n    stepz:\n      - run: make\n")
    result = validate(broken)
    assert result.returncode != 0
    assert "broken.yml" in result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=_ids(WORKFLOWS))
def test_every_action_is_pinned_to_a_release_or_commit(path: Path):
    for job_id, step in steps(load(path)):
        uses = step.get("uses")
        if uses and not uses.startswith(("./", "docker://")):
            assert PINNED.match(uses), f"{path.name} job {job_id}: {uses} is not pinned " \
                                       "to a full version (vX.Y.Z) or a commit SHA"


@pytest.mark.parametrize("path", WORKFLOWS, ids=_ids(WORKFLOWS))
def test_every_command_a_workflow_runs_exists_here(path: Path):
    ran = 0
    for job_id, step in steps(load(path)):
        script = step.get("run")
        if not script:
            continue
        for cmd in commands(script):
            check_command(cmd, f"{path.name} job {job_id} step {step.get('name', '?')!r}")
            ran += 1
    assert ran, f"{path.name} runs no commands"


def test_the_site_workflow_checks_tests_builds_and_deploys():
    flow = load(ROOT / ".github" / "workflows" / "site.yml")
    triggers = flow.get("on", flow.get(True))
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    run = [" ".join(c) for _, s in steps(flow) if s.get("run") for c in commands(s["run"])]
    assert 'make check CHECK_FLAGS=--format github' in run
    assert "make test" in run and "make build" in run
    assert run.index('make check CHECK_FLAGS=--format github') < run.index("make test")
    uses = [s.get("uses", "").split("@")[0] for _, s in steps(flow)]
    assert {"actions/checkout", "actions/upload-artifact", "actions/upload-pages-artifact",
            "actions/deploy-pages"} <= set(uses)
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_commands_are_read_from_run_scripts_as_a_shell_would():
    script = ("make sysdeps\nFOO=1 .venv/bin/seedpress check --format ${{ matrix.f }} && \\\n"
              "  make build # the build\n")
    assert commands(script) == [["make", "sysdeps"],
                                [".venv/bin/seedpress", "check", "--format", "X"],
                                ["make", "build"]]


def test_an_unknown_make_target_or_verb_is_caught():
    with pytest.raises(pytest.fail.Exception):
        check_command(["make", "no-such-target"], "here")
    with pytest.raises(pytest.fail.Exception):
        check_command(["seedpress", "no-such-verb"], "here")


# -- pre-commit ------------------------------------------------------------------------

def pre_commit_hooks() -> list[dict]:
    config = load(PRE_COMMIT)
    return [hook for repo in config.get("repos", []) for hook in repo.get("hooks", [])
            if repo.get("repo") == "local"]


def test_pre_commit_runs_ruff_and_the_ship_check():
    hooks = pre_commit_hooks()
    entries = {hook["id"]: hook["entry"] for hook in hooks}
    assert any(Path(shlex.split(e)[0]).name == "ruff" for e in entries.values()), entries
    assert any("seedpress" in e and " check" in f" {e}" for e in entries.values()), entries
    for hook in hooks:
        for key in ("id", "name", "entry", "language"):
            assert key in hook, f"pre-commit hook {hook.get('id')} lacks {key}"


def test_every_pre_commit_entry_is_a_command_this_project_has():
    for hook in pre_commit_hooks():
        argv = shlex.split(hook["entry"])
        where = f".pre-commit-config.yaml hook {hook['id']}"
        exe = ROOT / argv[0] if "/" in argv[0] else None
        assert exe is None or exe.exists() or argv[0].startswith(".venv/bin/"), where
        if argv[0].startswith(".venv/bin/"):
            assert (BIN / Path(argv[0]).name).exists(), f"{where}: {argv[0]} is not installed"
        check_command(argv, where)
        if Path(argv[0]).name == "ruff":
            result = subprocess.run([str(BIN / "ruff"), *argv[1:], "--help"],
                                    capture_output=True, text=True, timeout=60)
            assert result.returncode == 0, f"{where}: {result.stderr}"


def test_the_drift_workflow_is_weekly_keyless_and_runs_its_script():
    path = ROOT / ".github" / "workflows" / "drift.yml"
    flow = load(path)
    triggers = flow.get("on", flow.get(True))
    assert "workflow_dispatch" in triggers and triggers["schedule"][0]["cron"].endswith("* * 1")
    text = path.read_text(encoding="utf-8")
    assert "secrets." not in text  # no FAL_KEY, nor any other secret: the pages are public
    assert all("FAL_KEY" not in (s.get("env") or {}) for _, s in steps(flow))
    assert flow["permissions"] == {"contents": "write", "issues": "write",
                                   "pull-requests": "write"}
    run = [c for _, s in steps(flow) if s.get("run") for c in commands(s["run"])]
    drift = [c for c in run if c[:2] == ["make", "drift"]]
    assert drift and "--stamp" in drift[0][2] and "--report" in drift[0][2]
    scripts = [c[1] for c in run if Path(c[0]).name == "python" and len(c) > 1]
    assert scripts == ["scripts/drift_issue.py"]
    assert (ROOT / scripts[0]).is_file()  # tests/test_drift.py runs it against a fake gh
    pr = [s for _, s in steps(flow) if s.get("uses", "").startswith(
        "peter-evans/create-pull-request@")]
    assert len(pr) == 1 and pr[0]["with"]["branch"] == "drift/verified"
    assert pr[0]["if"] == "steps.drift.outputs.exit == '0'"


# -- actions on a current Node, caches, and the gallery's pull request --------------------------

#: The first major of each action whose action.yml says `runs.using: node24` (for
#: upload-pages-artifact, a composite action: the first whose upload-artifact does).
#: GitHub's runners retire Node 20 for JavaScript actions; an action added to a
#: workflow is added here with its own first Node 24 major.
NODE24_FROM = {
    "actions/checkout": 5,
    "actions/cache": 5,
    "actions/cache/restore": 5,
    "actions/cache/save": 5,
    "actions/upload-artifact": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
    "actions/github-script": 8,
    "peter-evans/create-pull-request": 8,
}


@pytest.mark.parametrize("path", WORKFLOWS, ids=_ids(WORKFLOWS))
def test_every_action_runs_on_a_current_node(path: Path):
    for job_id, step in steps(load(path)):
        uses = step.get("uses")
        if not uses or uses.startswith(("./", "docker://")):
            continue
        name, _, version = uses.partition("@")
        assert name in NODE24_FROM, f"{path.name}: {name} is not known to run on Node 24; " \
                                    "check its action.yml and add it to NODE24_FROM"
        major = int(re.match(r"v(\d+)", version).group(1))
        assert major >= NODE24_FROM[name], \
            f"{path.name} job {job_id}: {uses} runs on Node 20; use v{NODE24_FROM[name]} or later"


def _step_index(flow: dict, predicate) -> int:
    for i, (_, step) in enumerate(steps(flow)):
        if predicate(step):
            return i
    return -1


def _runs(step: dict, text: str) -> bool:
    return any(" ".join(c).startswith(text) for c in commands(step.get("run") or ""))


@pytest.mark.parametrize("path", WORKFLOWS, ids=_ids(WORKFLOWS))
def test_pip_and_apt_downloads_are_cached(path: Path):
    """Each workflow that sets up keeps pip's downloads and the Debian packages between
    runs, restored before the set-up step (the Debian image deletes downloaded
    packages after each install unless docker-clean is removed first)."""
    flow = load(path)
    setup = _step_index(flow, lambda s: _runs(s, "make sysdeps") or _runs(s, "make setup"))
    assert setup >= 0
    caches = [(i, s) for i, (_, s) in enumerate(steps(flow))
              if s.get("uses", "").startswith("actions/cache@")]
    pip = [(i, s) for i, s in caches if "~/.cache/pip" in s["with"]["path"]]
    apt_ = [(i, s) for i, s in caches if "/var/cache/apt/archives" in s["with"]["path"]]
    assert pip and pip[0][0] < setup, f"{path.name}: no pip cache before set-up"
    assert "hashFiles('constraints.txt', 'pyproject.toml')" in pip[0][1]["with"]["key"]
    if _step_index(flow, lambda s: _runs(s, "make sysdeps") or _runs(s, "make test")) < 0:
        assert not apt_, f"{path.name}: installs no Debian package, so it caches none"
        return
    assert apt_ and apt_[0][0] < setup, f"{path.name}: no apt cache before set-up"
    assert "hashFiles('scripts/sysdeps.sh')" in apt_[0][1]["with"]["key"]
    keep = _step_index(flow, lambda s: _runs(s, "rm -f /etc/apt/apt.conf.d/docker-clean"))
    assert 0 <= keep < setup, f"{path.name}: apt would delete the packages it downloads"


def test_the_site_workflow_checks_the_built_html_only_when_asked():
    flow = load(ROOT / ".github" / "workflows" / "site.yml")
    run = [" ".join(c) for _, s in steps(flow) if s.get("run") for c in commands(s["run"])]
    assert run.index("make check CHECK_FLAGS=--format github") < run.index("make build")
    assert run.index("make build") < run.index(
        "make check CHECK_FLAGS=--format github --site site")


GALLERY = ROOT / ".github" / "workflows" / "gallery.yml"


def test_the_gallery_stops_at_once_when_fal_key_is_missing():
    """The first step says the secret is missing, before any set-up, and only sees
    whether the key is there, never the key itself."""
    flow = load(GALLERY)
    first = flow["jobs"]["refresh"]["steps"][0]
    assert "uses" not in first
    assert set(first["env"].values()) == {"${{ secrets.FAL_KEY != '' }}"}
    for value, code, said in (("false", 1, "FAL_KEY"), ("true", 0, "")):
        result = subprocess.run(["bash", "-e", "-c", first["run"]], capture_output=True,
                                text=True, timeout=60,
                                env={**{k: value for k in first["env"]}, "PATH": "/usr/bin:/bin"})
        assert result.returncode == code, result.stdout + result.stderr
        assert said in result.stdout
    assert "::error" in first["run"] and "Settings" in first["run"]
    for _, step in steps(flow):
        for value in (step.get("env") or {}).values():
            if "secrets.FAL_KEY" in str(value) and value != "${{ secrets.FAL_KEY != '' }}":
                assert step.get("name", "").startswith("Refresh"), step.get("name")


def test_a_rerun_of_the_gallery_can_save_its_journal():
    flow = load(GALLERY)
    journal = [s for _, s in steps(flow) if s.get("uses", "").startswith("actions/cache/")
               and s["with"]["path"] == "gallery/.journal"]
    restore = [s for s in journal if s["uses"].startswith("actions/cache/restore@")]
    save = [s for s in journal if s["uses"].startswith("actions/cache/save@")]
    assert len(restore) == 1 and len(save) == 1
    key = "gallery-journal-${{ github.run_id }}-${{ github.run_attempt }}"
    assert restore[0]["with"]["key"] == key and save[0]["with"]["key"] == key
    assert restore[0]["with"]["restore-keys"].splitlines() == [
        "gallery-journal-${{ github.run_id }}-", "gallery-journal-"]
    assert save[0]["if"] == "always()"


def test_the_gallery_pull_request_gets_its_checks():
    """A pull request opened with GITHUB_TOKEN starts no workflow, so the gallery opens
    it with GALLERY_PR_TOKEN when that secret is set, and otherwise starts the site
    workflow on the branch itself (a workflow_dispatch is the one event GITHUB_TOKEN
    may start); the workflow says both, and what the secret needs."""
    text = " ".join(GALLERY.read_text(encoding="utf-8").replace("#", " ").split())
    flow = load(GALLERY)
    names = [s.get("name", "") for _, s in steps(flow)]
    pr_at = _step_index(flow, lambda s: s.get("uses", "").startswith(
        "peter-evans/create-pull-request@"))
    pr = list(steps(flow))[pr_at][1]
    assert "if" not in pr, "the pull request step must not run after a failure"
    assert pr["with"]["token"] == "${{ secrets.GALLERY_PR_TOKEN || secrets.GITHUB_TOKEN }}"
    dispatch_at = _step_index(flow, lambda s: "createWorkflowDispatch" in
                              str((s.get("with") or {}).get("script", "")))
    assert dispatch_at > pr_at, names
    dispatch = list(steps(flow))[dispatch_at][1]
    assert dispatch["uses"].startswith("actions/github-script@")
    assert "site.yml" in dispatch["with"]["script"] and "gallery/refresh" in \
        dispatch["with"]["script"]
    assert "GALLERY_PR_TOKEN" in dispatch["if"] or "has_pr_token" in dispatch["if"].lower()
    assert "pull-request-number" in dispatch["if"]
    assert flow["permissions"]["actions"] == "write"
    for needed in ("GALLERY_PR_TOKEN", "Allow GitHub Actions to create and approve pull "
                   "requests", "Pull requests", "Contents", "workflow_dispatch"):
        assert needed in text, needed
    site = load(ROOT / ".github" / "workflows" / "site.yml")
    assert "workflow_dispatch" in site.get("on", site.get(True))
    review = next(s for _, s in steps(site) if s.get("name", "").startswith(
        "Upload the built site for review"))
    assert "workflow_dispatch" in review["if"]
