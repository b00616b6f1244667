"""The ship check: one module per rule family, a runner, reporters in diagnostics.

- ``emdash``: SP101..SP103 and the ``--fix`` rewrite
- ``dates``: SP201..SP205
- ``frontmatter``: SP301..SP309
- ``prices``: SP401
- ``endpoints``: SP501
- ``gallery``: SP601..SP608
- ``codes``: every code with its meaning, for the editors' page
"""

from .codes import CODES, registry
from .runner import Report, run

__all__ = ["CODES", "Report", "registry", "run"]
