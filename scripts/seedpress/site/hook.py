"""The mkdocs hook: a thin caller of the generation stage.

Loaded by mkdocs from ``mkdocs.yml`` (``hooks:``); the only module that
imports mkdocs. Everything the site adds to the engine is made by
:func:`seedpress.site.generate.generate` (the same stage Zensical builds
from); the hook hands its result to MkDocs:

- ``on_config``: run the stage with the settings MkDocs parsed (the file
  ``mkdocs build -f`` named: its navigation, its site URL); it stops the
  build, naming every file and line, when the content has an error; set the
  CSS list, the data templates read (``extra.seedpress``) and the blog's
  category allow-list;
- ``on_files``: serve the generated pages (posts under ``blog/posts/``) and
  files in place of the sources, and the images beside posts, so ``mkdocs
  serve`` rebuilds them from posts/, data/ and docs/ on every change.

While serving, a redirect (``/`` to ``/seedpress/``) is not logged as a
warning (:class:`_Redirects`).

A post's edit link points at ``posts/`` through the theme's templates (the
stage writes where each post is edited into its front matter), the same way
under both engines.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from seedpress.errors import ContentError
from seedpress.pages.settings import Settings
from seedpress.site.generate import Tree, generate, write_pages

_state: dict = {}

#: The mkdocs command this process runs ("serve" shows stale warnings); kept
#: apart from _state, which on_config replaces on every rebuild.
_startup: dict = {"command": "build"}


class _Redirects(logging.Filter):
    """MkDocs' dev server logs every answer but 200 as a WARNING, so each visit to
    http://127.0.0.1:8000/ (sent on to /seedpress/, the site's path) and each
    address missing its final slash would warn. A redirect is not a problem:
    it is logged at DEBUG (``mkdocs serve -v`` shows it); a 404 still warns."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and str(record.msg).endswith(
                ("code 301", "code 302", "code 304", "code 307", "code 308")):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


def on_startup(*, command, dirty):
    _startup["command"] = command
    if command == "serve":
        server_log = logging.getLogger("mkdocs.livereload")
        if not any(isinstance(f, _Redirects) for f in server_log.filters):
            server_log.addFilter(_Redirects())


def _clean() -> None:
    folder = _state.pop("folder", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def on_shutdown():
    _clean()


def on_config(config):
    settings = Settings.from_mkdocs(config)  # the file MkDocs read (mkdocs build -f ...)
    try:
        tree = generate(settings.root, serving=_startup["command"] == "serve",
                        settings=settings)
    except ContentError as err:
        raise PluginError("seedpress: the content has errors:\n" + str(err)) from None
    _clean()
    folder = Path(tempfile.mkdtemp(prefix="seedpress-pages-"))
    write_pages(tree.pages, folder)
    _state.update(tree=tree, folder=folder)
    config.extra_css = tree.extra_css
    config.extra.update(tree.extra)
    blog = config.plugins.get("material/blog")
    if blog is not None:
        blog.config.categories_allowed = tree.categories
    return config


def _tree() -> Tree:
    return _state["tree"]


@event_priority(100)
def on_files(files, *, config):
    """Generated pages and files in place of their sources (before the blog
    plugin, priority -50, reads the posts)."""
    folder: Path = _state["folder"]
    for uri in _tree().pages:
        old = files.get_file_from_path(uri)
        new = File.generated(config, uri, abs_src_path=str(folder / uri))
        if old is not None:
            new.edit_uri = old.edit_uri  # a page of docs/ is edited where it was
            files.remove(old)
        files.append(new)
    for uri, text in _tree().files.items():
        old = files.get_file_from_path(uri)
        if old is not None:
            files.remove(old)
        files.append(File.generated(config, uri, content=text))
    for uri, path in _tree().assets.items():
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files

