"""What every verb owes the person who types it, beyond doing its job.

Exit codes they can look up where the verbs are listed (and what `make`
does to them), a quiet end when a pager or `head` stops reading, a
suggestion for a near miss, and a preview server that does not cry wolf.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
import urllib.error
import urllib.request

import pytest
from seedpress import cli
from support import BIN, ROOT, copy_repo, fresh_clone, mkdocs_serve

#: what each exit code means, as every place that lists the verbs must say it
EXITS = {
    "0": r"\b0\b(?: \|)?[^.\n|]*(clean|success|passed)",
    "1": r"\b1\b(?: \|)?[^.\n|]*(finding|found)",
    "2": r"\b2\b(?: \|)?[^.\n|]*could not run",
    "130": r"\b130\b(?: \|)?[^.\n|]*interrupt",
}
PLACES = {"README.md": ROOT / "README.md", "docs/editors.md": ROOT / "docs" / "editors.md",
          "docs/ship-check.md": ROOT / "docs" / "ship-check.md"}


@pytest.mark.parametrize("name", sorted(PLACES))
def test_exit_codes_are_explained_where_the_verbs_are_listed(name):
    text = " ".join(PLACES[name].read_text(encoding="utf-8").split())
    for code, pattern in EXITS.items():
        assert re.search(pattern, text, re.I), f"{name} does not say what exit {code} means"
    assert "Error 1" in text and re.search(r"`make check`[^.]*\b2\b", text), \
        f"{name} does not say that make shows 2 for a failed recipe"


def test_seedpress_help_lists_the_exit_codes():
    result = subprocess.run([str(BIN / "seedpress"), "--help"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for code, pattern in EXITS.items():
        assert re.search(pattern, text, re.I), f"--help does not say what exit {code} means"


@pytest.mark.slow  # a fresh clone checked through make
def test_make_check_shows_2_and_names_the_commands_own_code(tmp_path):
    """What the docs say about make, as it happens: a finding makes `seedpress check`
    exit 1, make reports "Error 1" and exits 2 itself."""
    clone = fresh_clone(tmp_path / "clone")
    post = clone / "posts" / "debugging-face-blocks-ip-warnings.md"
    post.write_text(post.read_text().replace("\n## ", "\nA dash \u2014 here.\n\n## ", 1))
    # as an editor types it, not as a recipe of `make test` (which would make it make[1])
    alone = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    result = subprocess.run(["make", "check"], cwd=clone, capture_output=True, text=True,
                            timeout=300, env=alone)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "SP101" in result.stdout
    said = re.search(r"make: \*\*\* \[Makefile:\d+: check\] Error 1", result.stderr)
    assert said, result.stderr
    shown = re.sub(r"Makefile:\d+:", "Makefile:NN:", said.group())  # NN: the recipe's line
    for name, path in PLACES.items():
        assert f"`{shown}`" in path.read_text(), \
            f"{name} quotes make's last line as make prints it"


def test_a_reader_that_stops_early_ends_the_check_quietly(tmp_path):
    """`seedpress check | head`: no "Broken pipe", no traceback."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "dashes.md").write_text("# Dashes\n\n" + "A dash \u2014 here.\n" * 3000)
    proc = subprocess.Popen([str(BIN / "seedpress"), "check", str(folder), "--root", str(ROOT)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    assert b"SP101" in first
    proc.stdout.close()  # as `head -1` does once it has its line
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert err == "", err
    assert proc.returncode == 141


def test_price_with_an_unknown_endpoint_suggests_the_nearest(capsys):
    code = cli.main(["price", "--endpoint", "bytedance/seedance-2.0/text-to-vide",
                     "--duration", "5", "--resolution", "720p", "--aspect-ratio", "16:9"])
    err = capsys.readouterr().err
    assert code == 2
    assert "unknown endpoint 'bytedance/seedance-2.0/text-to-vide' (did you mean " \
           "'bytedance/seedance-2.0/text-to-video'?)" in err
    code = cli.main(["price", "--endpoint", "nothing-like-it", "--duration", "5",
                     "--resolution", "720p", "--aspect-ratio", "16:9"])
    err = capsys.readouterr().err
    assert code == 2 and "bytedance/seedance-2.0/fast/text-to-video" in err  # the list


# -- make serve ------------------------------------------------------------------------------

class Log:
    """The lines a running server prints, read as they come."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()

    def wait_for(self, text: str, timeout: float = 120) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: any(text in line for line in self.lines),
                                         timeout), f"never logged {text!r}:\n" + \
                "\n".join(self.lines)


@pytest.mark.slow  # serves the whole site
def test_serve_does_not_warn_about_the_redirect_to_the_sites_path(tmp_path):
    """Visiting http://127.0.0.1:8000/ sends the reader on to /seedpress/: a redirect,
    not a problem, so it is not logged as a WARNING (a missing page still is)."""
    project = copy_repo(tmp_path / "project")
    with mkdocs_serve(project) as served:
        log = Log(served.proc.stdout)
        served.get("/")  # the site answers
        host = served.base.removesuffix("/seedpress")
        for path in ("/", "/seedpress", "/seedpress/blog"):
            with urllib.request.urlopen(host + path, timeout=30) as resp:
                assert resp.status == 200 and resp.url.endswith("/")
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(host + "/seedpress/no-such-page/", timeout=30)
        log.wait_for("no-such-page")  # logged after every request before it
        warnings = [line for line in log.lines if "WARNING" in line]
    assert len(warnings) == 1 and "no-such-page" in warnings[0], warnings
