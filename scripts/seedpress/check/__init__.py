"""The ship check: one module per editorial rule family and a runner (reporters are
:mod:`seedpress.diagnostics`).

The schema rules are not here: each data file and post is judged by the one
validator its loader uses (seedpress.content), and pages by the build's own
renderer (seedpress.pages.render). What is here is what only the check asks:

- ``emdash``: SP101..SP104 (the dashes and the ``--fix`` rewrite are
  :mod:`seedpress.content.dashes`)
- ``dates``: SP202, SP203 and SP205 in data files, SP206 in posts
- ``claims``: SP402
- ``prices``: SP401
- ``endpoints``: SP501
- ``runner``: which files, in which order

Every code is defined in :mod:`seedpress.codes`.
"""

from ..codes import CODES, registry
from .runner import Report, run

__all__ = ["CODES", "Report", "registry", "run"]
