"""The build benchmark's generated posts: varied, repeatable, and ones we would publish."""

from __future__ import annotations

import sys

from support import ROOT, TODAY

sys.path.insert(0, str(ROOT / "bench"))

import bench_build  # noqa: E402
from seedpress.check import run  # noqa: E402
from seedpress.content import load_publication  # noqa: E402
from seedpress.content.posts import parse_post, post_files  # noqa: E402


def _generate(count: int, seed: int = bench_build.SEED) -> list[bench_build.GeneratedPost]:
    pub = load_publication(ROOT)
    return bench_build.generate_posts(count, categories=list(pub.categories),
                                      authors=["desk", "eng"], today=TODAY,
                                      max_age_days=pub.max_age_days, seed=seed)


def test_same_seed_same_posts_other_seed_other_posts():
    assert [p.text for p in _generate(30)] == [p.text for p in _generate(30)]
    assert [p.text for p in _generate(30)] != [p.text for p in _generate(30, seed=7)]


def test_posts_are_varied_and_shaped_like_guides(tmp_path):
    folder = tmp_path / "posts"
    bench_build.write_posts(_generate(60), folder)
    posts = [parse_post(p) for p in post_files(folder)]
    assert len(posts) == 60
    assert len({p.slug for p in posts}) == 60
    assert len({p.title for p in posts}) > 20
    assert len({c for p in posts for c in p.categories}) > 4
    for post in posts:
        assert post.body.count("\n## ") >= 3
        assert "\n```" in post.body
        assert "<!-- more -->" in post.body


def test_generated_posts_pass_the_ship_check(tmp_path):
    folder = tmp_path / "posts"
    bench_build.write_posts(_generate(250), folder)  # past the 220 distinct titles
    report = run(ROOT, [folder], today=TODAY)
    assert not report.diagnostics, "\n".join(d.text() for d in report.diagnostics[:10])


def test_stock_site_shares_our_markdown_setup_and_nothing_else(tmp_path):
    stock = bench_build.make_stock(tmp_path / "stock")
    config = bench_build.yaml.load((stock / "mkdocs.yml").read_text(),
                                   Loader=bench_build._TolerantLoader)
    assert config["plugins"] == ["search", "blog"]
    assert config["theme"] == {"name": "material"}
    assert "hooks" not in config
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    ours = (ROOT / "mkdocs.yml").read_text()
    assert "pymdownx.superfences" in names
    assert all(f"- {name}" in ours for name in names)
    assert (stock / "docs" / "blog" / ".authors.yml").is_file()
