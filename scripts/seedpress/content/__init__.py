"""Models and loaders: every error carries path:line."""

from .posts import Post, load_posts, parse_post
from .publication import Publication, load_publication
from .source import ContentError, LineDict, LineList, load_yaml, parse_yaml, read_text

__all__ = [
    "ContentError", "LineDict", "LineList", "Post", "Publication", "load_posts",
    "load_publication", "load_yaml", "parse_post", "parse_yaml", "read_text",
]
