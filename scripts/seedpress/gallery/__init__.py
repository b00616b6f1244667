"""The showcase gallery: plan, render through fal, verify and install media.

- :mod:`.plan` decides which clips need a render and why (no network).
- :mod:`.fal` is the only importer of fal_client.
- :mod:`.media` is the only caller of ffmpeg and ffprobe.
- :mod:`.manifest` records what is installed; writes are atomic.
- :mod:`.journal` remembers submitted request ids so a killed run resumes.
- :mod:`.refresh` runs it all, concurrently, within a budget.
"""
