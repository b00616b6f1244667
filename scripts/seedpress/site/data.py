"""Everything the site's pages and templates read, loaded once per build.

``load_site_data`` is called by the hook in ``on_config``; every stage reads
the typed models that ``seedpress.content`` produced, never the files again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content import Post, Publication, load_posts, load_publication
from ..content.faq import load_faq
from ..content.field import load_field
from ..content.pricing import load_pricing
from ..gallery.showcase import load_showcase


@dataclass
class SiteData:
    root: Path
    publication: Publication
    posts: list[Post]
    #: Further models keyed by name (pricing, faq, field, gallery, ...).
    models: dict[str, Any] = field(default_factory=dict)

    _by_path: dict[Path, Post] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for post in self.posts:
            self._by_path.setdefault(post.path.resolve(), post)

    def post_for(self, path: str | Path) -> Post | None:
        """The post read from ``path`` (an index: pages ask once or twice each)."""
        return self._by_path.get(Path(path).resolve())


def load_site_data(root: Path) -> SiteData:
    publication = load_publication(root)
    posts = load_posts(publication.posts_dir)
    data = SiteData(root=root, publication=publication, posts=posts)
    data.models.update(pricing=load_pricing(root), faq=load_faq(root), field=load_field(root))
    data.models["gallery"] = load_showcase(root, data.models["pricing"])
    return data
