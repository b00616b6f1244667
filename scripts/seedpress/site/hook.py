"""The mkdocs hook: wires seedpress into the build.

Loaded by mkdocs from ``mkdocs.yml`` (``hooks:``). It is the only module that
imports mkdocs; the work itself lives in plain modules beside it.

- ``on_config``: load and validate the content models; hand the category
  allow-list from data/publication.yml to the blog plugin.
- ``on_files``: add every Markdown file of the top-level ``posts/`` folder to
  the blog as ``blog/posts/...`` (editors never touch ``docs/`` to publish).
- ``on_page_markdown``: render computed values in pages and posts.
- ``on_env`` / ``on_page_context``: give templates the site data.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from seedpress import clock
from seedpress.content import ContentError
from seedpress.content.posts import post_files
from seedpress.site import pricing_markup, prose, reviewed, stylesheets
from seedpress.site.data import SiteData, load_site_data

POSTS_URI = "blog/posts"

_state: dict = {}

#: The mkdocs command this process runs ("serve" shows stale warnings); kept
#: apart from _state, which on_config clears on every rebuild.
_startup: dict = {"command": "build"}


def on_startup(*, command, dirty):
    _startup["command"] = command


def _data() -> SiteData:
    return _state["data"]


def _fail(err: ContentError) -> PluginError:
    return PluginError("seedpress: the content has errors:\n" + str(err))


def on_config(config):
    root = Path(config.config_file_path).resolve().parent
    try:
        data = load_site_data(root)
    except ContentError as err:
        raise _fail(err) from None
    _state.clear()
    _state.update(data=data, env=prose.make_environment(), names=prose.prose_globals(data))
    # One request for the site's own CSS instead of one per file.
    config.extra_css, _state["css_bundle"] = stylesheets.plan(
        Path(config.docs_dir), list(config.extra_css))
    blog = config.plugins.get("material/blog")
    if blog is not None:
        blog.config.categories_allowed = list(data.publication.categories)
    return config


@event_priority(100)
def on_files(files, *, config):
    """Add posts/ to the blog before the blog plugin (priority -50) reads it."""
    posts_dir = _data().publication.posts_dir
    for path in post_files(posts_dir):
        src_uri = f"{POSTS_URI}/{path.relative_to(posts_dir).as_posix()}"
        old = files.get_file_from_path(src_uri)
        if old is not None:
            files.remove(old)
        files.append(File.generated(config, src_uri, abs_src_path=str(path)))
    _add_estimator_json(files, config)
    bundle = _state.get("css_bundle")
    if bundle is not None:
        files.append(File.generated(config, bundle.uri, content=bundle.text))
    return files


def _add_estimator_json(files, config) -> None:
    """The estimator's data, generated from data/pricing.yml (never hand-written)."""
    model = _data().models.get("pricing")
    if model is None:
        return
    old = files.get_file_from_path(pricing_markup.ESTIMATOR_JSON)
    if old is not None:
        files.remove(old)
    files.append(File.generated(config, pricing_markup.ESTIMATOR_JSON,
                                content=pricing_markup.estimator_json(model)))


def _source_line_offset(page) -> tuple[str, int]:
    """The file a reader edits and how many lines precede the Markdown body."""
    data = _data()
    src = Path(page.file.abs_src_path or "")
    post = _data().post_for(src) if src.suffix == ".md" else None
    try:
        display = src.relative_to(data.root).as_posix()
    except ValueError:
        display = page.file.src_uri
    return display, (post.body_line - 1 if post else _front_matter_lines(src))


def _front_matter_lines(src: Path) -> int:
    try:
        lines = src.read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return 0
    if not lines or lines[0].strip() != "---":
        return 0
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return i + 1
    return 0


def on_page_markdown(markdown, *, page, config, files):
    display, offset = _source_line_offset(page)
    if page.file.src_uri.startswith(POSTS_URI + "/") and config.repo_url:
        page.edit_url = f"{config.repo_url.rstrip('/')}/edit/main/{display}"
    try:
        return prose.render(markdown, env=_state["env"], names=_state["names"],
                            path=display, line_offset=offset)
    except ContentError as err:
        raise _fail(err) from None


def on_page_content(html, *, page, config, files):
    """Each post says when it was last reviewed; stale ones warn under `mkdocs serve`."""
    if not page.file.src_uri.startswith(POSTS_URI + "/"):
        return html
    data = _data()
    post = _data().post_for(page.file.abs_src_path or "")
    if post is None:
        return html
    return reviewed.decorate(html, post, today=clock.today(),
                             max_age_days=data.publication.max_age_days,
                             serving=_startup["command"] == "serve")


def on_env(env, *, config, files):
    env.globals["seedpress"] = _data()
    return env
