"""The errors a person's input or machine can cause, and the exit code each one means.

Every verb lets these out to :func:`seedpress.cli.main`, which prints the
message (a :class:`ContentError` prints its findings, ``path:line:col: CODE
message``) and exits with the class's ``exit_code``, never with a
traceback. The codes are the README's table:

- 1, a run that failed: :class:`BuildFailed` (the engine or the stage
  stopped), :class:`MediaError` (ffmpeg, or a file that is not the media
  asked for);
- 2, could not run: :class:`UsageError` (an option, a path, a date or a
  request the verb cannot carry out), :class:`ContentError` (a file the verb
  needs does not load: it names every finding), :class:`WriteError` (a file
  could not be written; nothing was changed).

A verb whose job is to judge the sources turns their findings into its
result instead: ``seedpress check`` lists them (exit 1, findings) and the
build fails on them (exit 1); see the README's exit-code table.

Errors that never reach a person stay where they are raised and handled:
``fal`` and ``drift`` classify what the network said, and the renderer's
``Unavailable`` marks a name whose data did not load.
"""

from __future__ import annotations

from collections.abc import Iterable

from .diagnostics import Diagnostic


class SeedpressError(Exception):
    """Something a person can act on; ``str(err)`` says what and where."""

    exit_code = 2


class UsageError(SeedpressError):
    """A verb was asked for something it cannot do (an option, a path, a date, a
    title it would have to refuse); nothing was written."""


class WriteError(SeedpressError):
    """A file could not be written; the message names it. Nothing was changed."""


class ContentError(SeedpressError):
    """A file does not load: it carries every finding, each with its path and line."""

    def __init__(self, diagnostics: Diagnostic | Iterable[Diagnostic]):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.text() for d in self.diagnostics))


class BuildFailed(SeedpressError):
    """The engine or the generation stage stopped; the message says why. The
    target was not touched."""

    exit_code = 1


class MediaError(SeedpressError):
    """A media file that is not what was asked for (a render, a PNG), or a tool
    (ffmpeg, ffprobe) that failed."""

    exit_code = 1


__all__ = ["BuildFailed", "ContentError", "MediaError", "SeedpressError", "UsageError",
           "WriteError"]
