"""The gate: a passing ship check means a passing build, for every bad input we know.

Each case of the bad corpus (tests/check_corpus/bad) is placed in a copy of
the publication where it takes the place of the file it stands for
(``data/<case>/faq.yml`` becomes ``data/faq.yml``, a post goes to
``posts/``, a page to ``docs/``). Then:

- the build: the generation stage the MkDocs hook runs (every content error
  stops the build there, naming file and line), and for the cases it lets
  through, the real MkDocs build (in process, a real ``MkDocsConfig``,
  ``--strict``), several cases at once since they touch different files;
- the check: ``seedpress check`` of the case's file in that project;
- every other verb that reads that kind of file, which must answer with an
  exit code and never a traceback.

Wherever the build fails, the check must fail too, naming the same file and
line. ``test_a_real_build_stops_where_the_stage_does`` shows, on real
``seedpress build`` runs, that the build fails exactly as the stage says.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from seedpress import cli
from seedpress.check import run
from seedpress.diagnostics import Diagnostic
from seedpress.errors import ContentError, UsageError
from seedpress.site.generate import generate
from support import BIN, ROOT, TODAY, copy_repo
from support.corpus import CORPUS, materialise, with_support

#: builds whole sites, renders through the fake fal server or runs every fault
pytestmark = pytest.mark.slow

#: corpus folders whose files become files of a project (site/ holds built HTML)
PLACED = ("posts", "data", "gallery", "docs", "elsewhere")


def target_of(rel: str) -> str:
    """Where a corpus file goes in a project."""
    parts = rel.split("/")
    if len(parts) == 3:  # data/<case>/faq.yml, gallery/<case>/clips.yml
        name = parts[2]
        if name == ".authors.yml":
            return "docs/blog/.authors.yml"
        return f"{parts[0]}/{name}"
    return rel


def cases() -> list[str]:
    found = []
    for top in PLACED:
        for path in sorted((CORPUS / "bad" / top).rglob("*")):
            if path.is_file():
                found.append(path.relative_to(CORPUS / "bad").as_posix())
    return found


CASES = cases()


@dataclass
class Outcome:
    case: str
    target: str
    #: what the build stopped on (empty: the stage let it through)
    build: list[Diagnostic] = field(default_factory=list)
    check: list[Diagnostic] = field(default_factory=list)
    #: the check could not run (exit 2) and said why
    check_refused: str = ""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return materialise(CORPUS / "bad", tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The publication without its built site (and with the corpus's support
    files), shared by hard links."""
    return with_support(copy_repo(tmp_path_factory.mktemp("gate") / "base"))


def place(base: Path, corpus: Path, rels: list[str], dest: Path) -> Path:
    """A project: ``base`` with each corpus file in the place it stands for."""
    shutil.copytree(base, dest, copy_function=os.link, symlinks=True)
    for rel in rels:
        target = dest / target_of(rel)
        target.unlink(missing_ok=True)  # never write through a hard link into base
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / rel, target)
    return dest


def _relative(diagnostics: list[Diagnostic], project: Path) -> list[tuple[str, int]]:
    out = []
    for d in diagnostics:
        path = Path(d.path)
        path = path if path.is_absolute() else project / path  # shown relative to the project
        try:
            rel = path.resolve().relative_to(project.resolve()).as_posix()
        except ValueError:
            rel = d.path
        out.append((rel, d.line))
    return out


def verbs_for(target: str) -> list[list[str]]:
    """The verbs that read a file placed at ``target`` (besides check and the build)."""
    name = Path(target).name
    if target.startswith("posts/"):
        return [["stale"], ["covers", "--check"], ["review", target],
                ["new-post", "A title nobody has used", "--category", "Pricing"]]
    if name == "publication.yml":
        return [["stale"], ["price", "--endpoint", "bytedance/seedance-2.0/text-to-video",
                            "--duration", "5", "--resolution", "720p", "--aspect-ratio", "16:9"],
                ["new-post", "A title nobody has used", "--category", "Pricing"]]
    if name in ("pricing.yml", "limits.yml"):
        return [["price", "--endpoint", "bytedance/seedance-2.0/reference-to-video",
                 "--duration", "5", "--resolution", "720p", "--aspect-ratio", "9:16",
                 "--video-input-seconds", "3"], ["gallery", "plan"]]
    if name in ("clips.yml", "manifest.json"):
        return [["gallery", "plan"]]
    if name == ".authors.yml":
        return [["new-post", "A title nobody has used", "--category", "Pricing"]]
    return []


def run_verb(argv: list[str], project: Path) -> int:
    """One verb in process; an exception it lets out is a traceback a user would see."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main([*argv, "--root", str(project), "--today", TODAY.isoformat()]
                            if argv[0] in ("stale", "review", "new-post")
                            else [*argv, "--root", str(project)])
        except SystemExit as exit_:  # argparse's own usage errors
            code = int(exit_.code or 0)
    assert "Traceback" not in out.getvalue() + err.getvalue(), (argv, err.getvalue())
    assert code in (0, 1, 2), (argv, code, err.getvalue())
    return code


def judge(case: str, corpus: Path, base: Path, work: Path) -> Outcome:
    target = target_of(case)
    project = place(base, corpus, [case], work / "project")
    outcome = Outcome(case, target)
    try:
        generate(project, today=TODAY)
    except ContentError as err:
        outcome.build = err.diagnostics
    try:
        report = run(project, [project / target], today=TODAY)
        outcome.check = report.diagnostics
    except ContentError as err:  # data/publication.yml itself: the check cannot run
        outcome.check = err.diagnostics
        outcome.check_refused = str(err)
    except UsageError as err:
        outcome.check_refused = str(err)
    for argv in verbs_for(target):
        run_verb(argv, project)
    return outcome


def _assert_gate(outcome: Outcome, project: Path) -> None:
    built = _relative(outcome.build, project)
    checked = set(_relative(outcome.check, project))
    for place_ in built:
        assert place_ in checked, (
            f"{outcome.case}: the build stops at {place_[0]}:{place_[1]} but the check "
            f"names {sorted(checked)}")


@pytest.mark.parametrize("case", CASES)
def test_where_the_build_fails_the_check_fails_at_the_same_line(case, corpus, base, tmp_path):
    outcome = judge(case, corpus, base, tmp_path)
    _assert_gate(outcome, tmp_path / "project")
    if outcome.build:
        # what stops the build is an error of the check too, not a warning
        assert any(d.severity == "error" for d in outcome.check), \
            f"{case}: the build stops, but the check calls it a warning"


# -- the engine, for what the stage lets through --------------------------------------

def mkdocs_build_in_process(project: Path, out: Path) -> tuple[bool, str]:
    """The real strict MkDocs build of ``project`` (in process), and its log."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    log = io.StringIO()
    handler = logging.StreamHandler(log)
    handler.setLevel(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    cwd = os.getcwd()
    os.chdir(project)
    try:
        config = load_config(config_file=str(project / "mkdocs.yml"), strict=True,
                             site_dir=str(out))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        return True, log.getvalue()
    except (Abort, MkDocsException, SystemExit) as err:
        return False, log.getvalue() + f"\n{err}"
    finally:
        os.chdir(cwd)
        logger.removeHandler(handler)


def test_what_the_stage_lets_through_the_engine_builds(corpus, base, tmp_path):
    """Cases the generation stage passes (the check's warnings: em dashes, dates,
    prices, endpoints) are built for real, in batches of cases that touch
    different files; a batch that fails is built again case by case, and any
    case the engine stops on must have stopped the check too."""
    through: list[str] = []
    for case in CASES:
        project = place(base, corpus, [case], tmp_path / "probe")
        try:
            generate(project, today=TODAY)
            through.append(case)
        except ContentError:
            pass
        finally:
            shutil.rmtree(project)
    assert len(through) >= 10, through
    batches: list[list[str]] = []
    for case in through:
        for batch in batches:
            if target_of(case) not in {target_of(c) for c in batch}:
                batch.append(case)
                break
        else:
            batches.append([case])
    assert len(batches) <= 4, [len(b) for b in batches]
    for i, batch in enumerate(batches):
        project = place(base, corpus, batch, tmp_path / f"batch-{i}")
        ok, log = mkdocs_build_in_process(project, tmp_path / f"site-{i}")
        if ok:
            continue
        for case in batch:  # find the case the engine stops on
            single = place(base, corpus, [case], tmp_path / f"single-{i}-{Path(case).stem}")
            ok, log = mkdocs_build_in_process(single, tmp_path / f"site-{i}-single")
            if not ok:
                report = run(single, [single / target_of(case)], today=TODAY)
                stops = [d for d in report.diagnostics if d.severity == "error"]
                assert stops, f"{case}: the engine stops ({log}) but the check lets it ship"


def test_a_real_build_stops_where_the_stage_does(corpus, base, tmp_path):
    """`seedpress build` (mkdocs with the hook) on a post with a bad expression and
    on a faq.yml with one: it exits 1, prints the same path:line:col the check
    prints, and leaves the previous site/ whole."""
    for case in ("posts/sp008-bad-argument.md", "data/sp008-faq-bad-argument/faq.yml"):
        project = place(base, corpus, [case], tmp_path / Path(case).stem)
        site = project / "site"
        site.mkdir()
        (site / "index.html").write_text("the previous site\n")
        result = subprocess.run([str(BIN / "seedpress"), "build", "--root", str(project)],
                                capture_output=True, text=True, timeout=300, cwd=project)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        report = run(project, [project / target_of(case)], today=TODAY)
        first = report.diagnostics[0]
        assert first.path == target_of(case)
        assert f"{first.path}:{first.line}:{first.column}: {first.code}" in result.stdout + \
            result.stderr
        assert (site / "index.html").read_text() == "the previous site\n"
        assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []


def test_zensical_is_stopped_by_the_stage_on_a_broken_fragment(corpus, base, tmp_path):
    """Zensical's own link validation is off (the stage judges links and
    fragments once, for both engines): a link to a heading the rules page does
    not have still stops `seedpress build --engine zensical`, at the line the
    check names, before Zensical runs, and the previous site stays."""
    case = "posts/sp503-broken-anchor.md"
    project = place(base, corpus, [case], tmp_path / "zensical")
    site = project / "site-zensical"
    site.mkdir()
    (site / "index.html").write_text("the previous site\n")
    result = subprocess.run([str(BIN / "seedpress"), "build", "--engine", "zensical",
                             "--root", str(project), "--site-dir", str(site)],
                            capture_output=True, text=True, timeout=300, cwd=project)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "Traceback" not in out
    assert f"{target_of(case)}:16:39: SP503 link to '../../rules.md#seed': rules.md has no " \
        "heading or id 'seed'; did you mean '#seeds'?" in out
    assert (site / "index.html").read_text() == "the previous site\n"


def test_the_gate_holds_on_the_publication_itself(tmp_path):
    """The publication passes the check, so it must build (and it does)."""
    assert run(ROOT, today=TODAY).diagnostics == []
    generate(ROOT, today=TODAY)


#: A hook the test adds to the copied project: at the named MkDocs event the
#: build says so (a file appears) and waits, so the test interrupts it at a
#: step it chose, never after a guessed delay.
PAUSE_HOOK = """
import os, time
from pathlib import Path

def _pause(*args, **kwargs):
    Path(os.environ["SEEDPRESS_TEST_PAUSED"]).write_text("paused")
    time.sleep(300)
    return args[0] if args else None

{event} = _pause
"""


@pytest.mark.parametrize("event", ["on_config", "on_page_markdown", "on_post_build"])
def test_ctrl_c_during_a_build_leaves_the_previous_site(tmp_path, event):
    """A real SIGINT to `seedpress build` while the engine reads its config, while
    it converts the pages, and once the whole new site is written but not yet
    swapped in: exit 130, "interrupted", and site/ exactly as it was (no partial
    site for the check to pass)."""
    import signal
    import time

    project = copy_repo(tmp_path / "project")
    (project / "pause_hook.py").write_text(PAUSE_HOOK.format(event=event))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "hooks:\n", "hooks:\n  - pause_hook.py\n", 1))
    paused = tmp_path / "paused"
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("the previous site\n")
    # Ctrl-C as a terminal sends it: SIGINT at its default, even when this test runs under
    # a shell that started it in the background (which ignores SIGINT, and children
    # inherit that)
    proc = subprocess.Popen([str(BIN / "seedpress"), "build"], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
                            env=dict(os.environ, SEEDPRESS_TEST_PAUSED=str(paused)))
    deadline = time.monotonic() + 300
    while not paused.exists():
        assert proc.poll() is None, "the build ended before reaching " + event + \
            "".join(proc.communicate())
        assert time.monotonic() < deadline, "the build never reached " + event
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, out + err
    assert "interrupted" in err and "Traceback" not in err
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text() == "the previous site\n"
    assert not [p for p in project.iterdir() if p.name.startswith(".site.")]


def test_an_env_tag_in_mkdocs_yml_means_on_zensical_what_it_means_on_mkdocs(tmp_path):
    """MkDocs reads `!ENV`; the config for Zensical is read with MkDocs' own reader,
    so the tag means the same on both engines (issue 21: it used to stop the
    Zensical build), and a tag MkDocs does not know is one clear line and exit 1."""
    project = copy_repo(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("site_name: seedpress", "site_name: !ENV [SP_NAME, seedpress]",
                                   1), encoding="utf-8")
    assert "!ENV" in config.read_text(encoding="utf-8")
    result = subprocess.run([str(BIN / "seedpress"), "build", "--engine", "zensical",
                             "--root", str(project), "--site-dir", str(project / "zs")],
                            capture_output=True, text=True, timeout=300, cwd=project,
                            env={**os.environ, "SP_NAME": "seedpress from the environment"})
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    written = (project / ".seedpress" / "zensical" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_name: seedpress from the environment" in written
    assert "seedpress from the environment" in (project / "zs" / "index.html").read_text()

    config.write_text(text.replace("site_name: seedpress", "site_name: !NOPE seedpress", 1),
                      encoding="utf-8")
    result = subprocess.run([str(BIN / "seedpress"), "build", "--engine", "zensical",
                             "--root", str(project), "--site-dir", str(project / "zs2")],
                            capture_output=True, text=True, timeout=300, cwd=project)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "Traceback" not in out
    assert "mkdocs.yml:1:12: could not determine a constructor for the tag '!NOPE'" in out
    assert not (project / "zs2").exists()
