"""seedpress: the toolkit behind the Seedance 2.0 publication."""

from pathlib import Path

__version__ = "0.1.0"

#: The repository root (two levels above this package: scripts/seedpress).
ROOT = Path(__file__).resolve().parents[2]


def project_root(start: Path | None = None) -> Path:
    """The publication a command works on: the nearest folder at or above
    ``start`` (the current directory) holding mkdocs.yml and
    data/publication.yml; else the checkout this package was installed from."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "data" / "publication.yml").is_file():
            return folder
    return ROOT
