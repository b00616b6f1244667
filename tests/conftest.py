"""Fixtures and hooks for every test: a pinned today, the fake fal server, real site
builds. Helpers live in the ``support`` package (tests import them from there,
never from this file)."""

from __future__ import annotations

from pathlib import Path

import pytest
import support
from fakes import plugin

# the fake fal server's fixtures
from fakes.plugin import fake_fal, fake_fal_server, quick_client  # noqa: F401
from support import ROOT, copy_repo, in_ci, mkdocs_build, zensical_build
from support.corpus import CORPUS, materialise, with_support

#: fixtures that make a test slow: a whole site built, the fake fal server's renders
SLOW_FIXTURES = {"built_site", "zensical_site", "fake_fal", "fake_fal_server", "site_dir"}


def pytest_collection_modifyitems(config, items):
    """A test that builds a whole site or renders through the fake fal server is
    ``slow`` (make test-fast leaves it out), whether or not it says so itself."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def pytest_configure(config):
    """Before any test module is imported: the one "today", no key, and the fake fal
    server's address, which fal_client reads once, when it is first imported."""
    support.environ()
    plugin.reserve()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The repository's own site, built once per session with --strict."""
    out = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, out)
    if result.returncode != 0:
        pytest.fail(f"strict build failed:\n{result.stdout}\n{result.stderr}")
    (out / ".build.log").write_text(result.stdout + result.stderr)
    return out


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory) -> Path:
    """The repository's own site, built once per session by Zensical with --strict."""
    out = tmp_path_factory.mktemp("zensical") / "site"
    result = zensical_build(ROOT, out)
    if result.returncode != 0:
        pytest.fail(f"zensical build failed:\n{result.stdout}\n{result.stderr}")
    return out


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> Path:
    """The corpus of bad inputs, its placeholders made real (once per module)."""
    return materialise(CORPUS / "bad", tmp_path_factory.mktemp("bad"))


@pytest.fixture(scope="module")
def publication(tmp_path_factory) -> Path:
    """The publication with the corpus's support files in place (once per module)."""
    return with_support(copy_repo(tmp_path_factory.mktemp("publication") / "project"))


@pytest.fixture
def project_copy(tmp_path) -> Path:
    return copy_repo(tmp_path / "project")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test is a failure: CI has every tool installed."""
    outcome = yield
    report = outcome.get_result()
    if in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped under CI=true, which counts as a failure: {reason}"
