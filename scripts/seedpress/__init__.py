"""seedpress: the toolkit behind the Seedance 2.0 publication."""

from pathlib import Path

__version__ = "0.1.0"

#: The repository root (two levels above this package: scripts/seedpress).
ROOT = Path(__file__).resolve().parents[2]
