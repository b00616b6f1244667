"""The models and their validators, the bottom layer: every error carries path:line."""

from .posts import Post, parse_post
from .publication import Publication, load_publication
from .source import LineDict, LineList, load_yaml, parse_yaml, read_text

__all__ = [
    "LineDict", "LineList", "Post", "Publication", "load_publication",
    "load_yaml", "parse_post", "parse_yaml", "read_text",
]
