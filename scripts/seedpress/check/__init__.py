"""The ship check: one module per editorial rule family, a runner, reporters in diagnostics.

The schema rules are not here: each data file and post is judged by the one
validator its loader uses (seedpress.content), and pages by the build's own
renderer (seedpress.pages.render). What is here is what only the check asks:

- ``emdash``: SP101..SP104 and the ``--fix`` rewrite
- ``dates``: SP202 and SP205 in data files
- ``prices``: SP401
- ``endpoints``: SP501
- ``runner``: which files, in which order

Every code is defined in :mod:`seedpress.codes`.
"""

from ..codes import CODES, registry
from .runner import Report, run

__all__ = ["CODES", "Report", "registry", "run"]
