"""The local server the browser tests and the Lighthouse bench read the site from."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from support.staticserver import serve


def get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "blog").mkdir()
    (tmp_path / "index.html").write_text("<h1>home</h1>" + "x" * 2000)
    (tmp_path / "blog" / "index.html").write_text("<h1>blog</h1>")
    (tmp_path / "clip.mp4").write_bytes(bytes(range(256)) * 4)
    return tmp_path


def test_pages_directories_and_missing_files(site: Path):
    with serve(site) as base:
        assert base.startswith("http://127.0.0.1:")
        status, headers, body = get(base)
        assert status == 200 and body.startswith(b"<h1>home")
        assert headers["Content-Type"].startswith("text/html")
        assert get(base + "blog/?keyword=x")[2] == b"<h1>blog</h1>"
        assert get(base + "blog")[2] == b"<h1>blog</h1>"  # redirected to blog/
        with pytest.raises(urllib.error.HTTPError) as err:
            get(base + "nope.css")
        assert err.value.code == 404


def test_byte_ranges_as_a_video_element_asks_for_them(site: Path):
    data = (site / "clip.mp4").read_bytes()
    with serve(site) as base:
        status, headers, body = get(base + "clip.mp4", Range="bytes=100-199")
        assert status == 206 and body == data[100:200]
        assert headers["Content-Range"] == f"bytes 100-199/{len(data)}"
        assert headers["Content-Type"] == "video/mp4"
        assert get(base + "clip.mp4", Range="bytes=1000-")[2] == data[1000:]
        assert get(base + "clip.mp4", Range="bytes=-24")[2] == data[-24:]
        with pytest.raises(urllib.error.HTTPError) as err:
            get(base + "clip.mp4", Range=f"bytes={len(data) + 5}-")
        assert err.value.code == 416


def test_gzip_only_when_asked_and_only_for_text(site: Path):
    page = (site / "index.html").read_bytes()
    with serve(site, compress=True) as base:
        _, headers, body = get(base, **{"Accept-Encoding": "gzip"})
        assert headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body) == page and len(body) < len(page)
        _, headers, body = get(base)
        assert "Content-Encoding" not in headers and body == page
        _, headers, _ = get(base + "clip.mp4", **{"Accept-Encoding": "gzip"})
        assert "Content-Encoding" not in headers
    with serve(site) as base:
        _, headers, body = get(base, **{"Accept-Encoding": "gzip"})
        assert "Content-Encoding" not in headers and body == page
