"""The site's settings: mkdocs.yml, read once per build and passed down, as Pelican's
``read_settings``.

Under MkDocs the hook hands over the configuration MkDocs parsed
(:meth:`Settings.from_mkdocs`: the file ``mkdocs build -f`` named, with its
``!ENV`` tags and ``INHERIT`` resolved by MkDocs); the Zensical build and
the ship check read the file with MkDocs' own YAML reader
(:meth:`Settings.read`), so ``!ENV`` means the same on every path. Every
stage reads what it needs from the one :class:`Settings`: the site's
address, the navigation, the Markdown extensions, and where the blog puts
its posts, categories and archive (:meth:`Settings.post_url`, never a
hard-coded ``blog/``).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import yaml_load
from pymdownx.slugs import slugify

from ..errors import BuildFailed

#: the extensions MkDocs adds to every site's ``markdown_extensions``
MARKDOWN_BUILTINS = ("toc", "tables", "fenced_code")
#: the blog plugin's defaults, for the options mkdocs.yml leaves out
BLOG_DEFAULTS = {"blog_dir": "blog", "post_dir": "{blog}/posts",
                 "post_url_format": "{date}/{slug}", "archive": True,
                 "archive_url_format": "archive/{date}", "categories": True,
                 "categories_url_format": "category/{slug}"}


def _plain(options: Any) -> Any:
    """A plugin's validated options as plain data (MkDocs keeps them in mappings
    of its own)."""
    if isinstance(options, Mapping):
        return {str(k): _plain(v) for k, v in options.items()}
    if isinstance(options, (list, tuple)):
        return [_plain(v) for v in options]
    return options


def category_slug(name: str) -> str:
    """A category's address word, as the blog plugin makes it (pymdownx's slugify)."""
    return slugify(case="lower")(name, "-")


@dataclass
class Settings:
    """mkdocs.yml as the stages read it: ``raw`` is the file's mapping (its tags
    resolved), ``path`` the file it came from."""

    raw: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    # -- reading ------------------------------------------------------------------
    @classmethod
    def read(cls, path: Path) -> Settings:
        """``path`` read as MkDocs reads it (``!ENV``, ``INHERIT``); a file that does
        not read is :class:`~seedpress.errors.BuildFailed` naming its line."""
        path = Path(path)
        if not path.is_file():
            return cls({}, path)
        try:
            with open(path, "rb") as handle:
                raw = yaml_load(handle)
        except ConfigurationError as err:
            cause = err.__context__
            mark = getattr(cause, "problem_mark", None)
            where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
            problem = getattr(cause, "problem", None) or str(cause or err)
            raise BuildFailed(f"{path.name}{where}: {problem}") from None
        except yaml.YAMLError as err:  # a tag MkDocs' reader does not know
            raise BuildFailed(f"{path.name}: {err}") from None
        if not isinstance(raw, dict):
            raise BuildFailed(f"{path.name}: the file must be a mapping of settings")
        return cls(raw, path)

    @classmethod
    def from_mkdocs(cls, config: Any) -> Settings:
        """The settings MkDocs parsed and validated (its ``MkDocsConfig``: the file
        ``mkdocs build -f`` named, what the command line set on top, the plugins'
        options with their defaults), in the form the file has."""
        options = dict(config.get("mdx_configs") or {})
        raw = {
            "site_url": config.get("site_url") or "",
            "use_directory_urls": config.get("use_directory_urls", True),
            "nav": config.get("nav"),
            "extra_css": list(config.get("extra_css") or []),
            "markdown_extensions": [{name: options[name]} if name in options else name
                                    for name in config.get("markdown_extensions") or []],
            "plugins": [{name: _plain(getattr(plugin, "config", None) or {})}
                        for name, plugin in (config.get("plugins") or {}).items()],
        }
        path = config.get("config_file_path")
        return cls(raw, Path(path) if path else None)

    @property
    def root(self) -> Path | None:
        """The folder of the config file: the publication."""
        return self.path.resolve().parent if self.path is not None else None

    # -- the site ------------------------------------------------------------------
    @property
    def site_url(self) -> str:
        return str(self.raw.get("site_url") or "")

    @property
    def base_path(self) -> str:
        """The site's path on its host ("/seedpress/"; always ends with "/")."""
        base = urlsplit(self.site_url or "/").path or "/"
        return "/" + base.strip("/") + "/" if base.strip("/") else "/"

    @property
    def directory_urls(self) -> bool:
        return self.raw.get("use_directory_urls", True) is not False

    @property
    def extra_css(self) -> list[str]:
        return list(self.raw.get("extra_css") or [])

    def nav_pages(self) -> list[tuple[str, str | None]]:
        """The pages of the navigation in reading order, each with the title the
        navigation gives it (None when it gives none). A section counts as its
        pages; the blog section is its index (its archive and category pages are
        the blog plugin's, not the navigation's)."""
        found: list[tuple[str, str | None]] = []

        def walk(entries) -> None:
            for entry in entries or []:
                if isinstance(entry, str):
                    found.append((entry, None))
                elif isinstance(entry, dict):
                    for title, value in entry.items():
                        if isinstance(value, str):
                            found.append((value, str(title)))
                        elif isinstance(value, list):
                            walk(value)

        walk(self.raw.get("nav"))
        return [(uri, title) for uri, title in found
                if "://" not in uri and uri.endswith(".md")]

    def markdown_settings(self) -> tuple[list[str], dict[str, dict]]:
        """The extensions and their options of ``markdown_extensions`` (MkDocs'
        form: a name, or a mapping of one name to its options)."""
        names: list[str] = list(MARKDOWN_BUILTINS)
        options: dict[str, dict] = {}
        entries = self.raw.get("markdown_extensions")
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, str):
                name, opts = entry, None
            elif isinstance(entry, dict) and len(entry) == 1:
                name, opts = next(iter(entry.items()))
            else:
                continue
            if str(name) not in names:
                names.append(str(name))
            if isinstance(opts, dict) and opts:
                options[str(name)] = opts
        return names, options

    def plugin(self, name: str) -> dict[str, Any] | None:
        """The options of a plugin the settings list (None when it is not listed)."""
        for entry in self.raw.get("plugins") or []:
            if entry == name or entry == f"material/{name}":
                return {}
            if isinstance(entry, dict) and len(entry) == 1:
                key, options = next(iter(entry.items()))
                if key in (name, f"material/{name}"):
                    return dict(options) if isinstance(options, Mapping) else {}
        return None

    # -- the blog ------------------------------------------------------------------
    @property
    def blog(self) -> dict[str, Any]:
        """The blog plugin's options, its defaults filled in ({} without a blog)."""
        options = self.plugin("blog")
        return {} if options is None else {**BLOG_DEFAULTS, **options}

    @property
    def blog_dir(self) -> str:
        return str(self.blog.get("blog_dir", BLOG_DEFAULTS["blog_dir"])).strip("/")

    @property
    def posts_uri(self) -> str:
        """Where posts sit in the build tree (the blog's post_dir): "blog/posts"."""
        fmt = str(self.blog.get("post_dir", BLOG_DEFAULTS["post_dir"]))
        return fmt.format(blog=self.blog_dir).strip("/")

    @property
    def post_urls_modelled(self) -> bool:
        """Whether a post's address follows from its slug and file name alone (the
        format names nothing else, such as its date)."""
        fmt = str(self.blog.get("post_url_format", BLOG_DEFAULTS["post_url_format"]))
        return set(re.findall(r"\{(\w+)\}", fmt)) <= {"slug", "file"}

    def post_url(self, slug: str, file: str = "", created=None) -> str:
        """A post's address from the site's root ("blog/<slug>/"), as the blog
        plugin makes it from ``post_url_format``."""
        fmt = str(self.blog.get("post_url_format", BLOG_DEFAULTS["post_url_format"]))
        date = created.strftime("%Y/%m/%d") if created is not None else ""
        path = fmt.format(slug=slug, file=posixpath.splitext(posixpath.basename(file))[0],
                          date=date, categories="").strip("/")
        path = re.sub(r"/{2,}", "/", path)
        return f"{self.blog_dir}/{path}/"

    def category_url(self, name: str) -> str:
        """A category page's address from the site's root."""
        fmt = str(self.blog.get("categories_url_format",
                                BLOG_DEFAULTS["categories_url_format"]))
        return f"{self.blog_dir}/{fmt.format(slug=category_slug(name)).strip('/')}/"

    def archive_url(self, year: int) -> str:
        fmt = str(self.blog.get("archive_url_format", BLOG_DEFAULTS["archive_url_format"]))
        return f"{self.blog_dir}/{fmt.format(date=year).strip('/')}/"

    def feed_files(self) -> list[str]:
        """The files the RSS plugin writes, at the site's root."""
        rss = self.plugin("rss")
        names = (rss or {}).get("feeds_filenames") or {}
        return [str(n) for n in names.values()] if isinstance(names, Mapping) else []
