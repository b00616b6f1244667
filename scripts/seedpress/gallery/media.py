"""Video files: probe, verify, web rendition, poster, placeholder; SVG covers to PNG.

The only module that runs ffmpeg and ffprobe. Every command has a timeout and
its failure becomes a :class:`MediaError` with ffmpeg's last words.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import MediaError
from ..pngtext import with_text
from ..writer import write_by

#: How far a render's duration may stray from the seconds asked for.
DURATION_TOLERANCE_S = 0.5
#: The web rendition: H.264 + AAC, capped bitrate, moov atom first.
WEB_VIDEO = ["-c:v", "libx264", "-preset", "medium", "-crf", "26", "-maxrate", "2500k",
             "-bufsize", "5000k", "-pix_fmt", "yuv420p", "-movflags", "+faststart"]
WEB_AUDIO = ["-c:a", "aac", "-b:a", "128k"]
#: A render already within this bitrate (H.264 + AAC) is copied, not re-encoded.
WEB_MAX_BITRATE = 2_500_000
PLACEHOLDER_LONG_SIDE = 320
#: The size link previews ask for (Open Graph, Twitter summary_large_image).
SHARE_SIZE = (1200, 630)


@dataclass(frozen=True)
class Probe:
    video_codec: str | None
    audio_codec: str | None
    width: int
    height: int
    duration: float
    bit_rate: int = 0


def tools_missing() -> list[str]:
    return [t for t in ("ffmpeg", "ffprobe") if shutil.which(t) is None]


def _run(cmd: list[str], timeout: float = 600) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError:
        raise MediaError(f"{cmd[0]} is not installed (Debian: apt-get install ffmpeg)") from None
    except subprocess.TimeoutExpired:
        raise MediaError(f"{cmd[0]} took longer than {timeout:.0f} s") from None
    if result.returncode != 0:
        tail = (result.stderr or "").strip().splitlines()[-3:]
        raise MediaError(f"{cmd[0]} failed: " + " | ".join(tail))
    return result


def probe(path: Path) -> Probe:
    out = _run(["ffprobe", "-v", "error", "-print_format", "json", "-show_streams",
                "-show_format", str(path)], timeout=60).stdout
    try:
        data = json.loads(out)
    except ValueError:
        raise MediaError(f"ffprobe could not read {path.name}") from None
    streams = data.get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    if video is None:
        raise MediaError(f"{path.name} has no video stream")
    try:
        duration = float(data.get("format", {}).get("duration") or video.get("duration") or 0)
    except ValueError:
        duration = 0.0
    try:
        bit_rate = int(data.get("format", {}).get("bit_rate") or 0)
    except ValueError:
        bit_rate = 0
    return Probe(video.get("codec_name"), audio.get("codec_name") if audio else None,
                 int(video.get("width", 0)), int(video.get("height", 0)), duration, bit_rate)


def verify(path: Path, *, width: int, height: int, seconds: float, audio: bool) -> Probe:
    """Check a render is what was asked: H.264, AAC when audio is on, size, duration."""
    found = probe(path)
    problems = []
    if found.video_codec != "h264":
        problems.append(f"video is {found.video_codec}, expected h264")
    if audio and found.audio_codec != "aac":
        problems.append(f"audio is {found.audio_codec or 'missing'}, expected aac")
    if (found.width, found.height) != (width, height):
        problems.append(f"frame is {found.width}x{found.height}, expected {width}x{height}")
    if abs(found.duration - seconds) > DURATION_TOLERANCE_S:
        problems.append(f"lasts {found.duration:.2f} s, expected {seconds} s")
    if problems:
        raise MediaError(f"{path.name}: " + "; ".join(problems))
    return found


def web_rendition(src: Path, dest: Path, *, audio: bool, found: Probe | None = None) -> None:
    """H.264 + AAC with the index up front, at a modest bitrate.

    A source that is already H.264 (and AAC, with audio) within
    ``WEB_MAX_BITRATE`` is copied stream for stream; only the container is
    rewritten. Anything else is re-encoded.
    """
    found = found or probe(src)
    cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", str(src),
           "-map", "0:v:0"]
    copy = (found.video_codec == "h264" and 0 < found.bit_rate <= WEB_MAX_BITRATE
            and (not audio or found.audio_codec == "aac"))
    if copy:
        cmd += (["-map", "0:a:0?"] if audio else ["-an"]) + ["-c", "copy",
                                                            "-movflags", "+faststart"]
    else:
        cmd += (["-map", "0:a:0?"] + WEB_AUDIO) if audio else ["-an"]
        cmd += WEB_VIDEO
    _run(cmd + ["-f", "mp4", str(dest)])


def poster(src: Path, dest: Path, *, at_seconds: float, width: int | None = None) -> None:
    """A WebP still from ``src`` at ``at_seconds`` (scaled to ``width`` when given)."""
    scale = ["-vf", f"scale={width}:-2"] if width else []
    _run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
          "-ss", f"{at_seconds:.2f}", "-i", str(src), "-frames:v", "1", *scale,
          "-c:v", "libwebp", "-quality", "80", "-f", "webp", str(dest)])


def placeholder(video: Path, still: Path, *, width: int, height: int, seconds: int,
                audio: bool, hue: int) -> None:
    """A small local stand-in clip (moving gradient, silent track) and its poster."""
    scale = PLACEHOLDER_LONG_SIDE / max(width, height)
    w = max(2, round(width * scale / 2) * 2)
    h = max(2, round(height * scale / 2) * 2)
    colours = [f"0x{c:06x}" for c in _palette(hue)]
    cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
           "-f", "lavfi", "-i",
           f"gradients=s={w}x{h}:c0={colours[0]}:c1={colours[1]}:c2={colours[2]}"
           f":n=3:speed=0.02:rate=12:duration={seconds}:seed={hue}"]
    if audio:
        cmd += ["-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", str(seconds)]
    cmd += ["-c:v", "libx264", "-preset", "veryslow", "-crf", "34", "-pix_fmt", "yuv420p",
            "-movflags", "+faststart"]
    cmd += ["-c:a", "aac", "-b:a", "24k", "-shortest"] if audio else ["-an"]
    _run(cmd + ["-f", "mp4", str(video)])
    poster(video, still, at_seconds=min(1.0, seconds / 2))


def _palette(hue: int) -> list[int]:
    """Three muted colours around ``hue`` (degrees)."""
    import colorsys

    out = []
    for shift, light in ((0, 0.30), (40, 0.45), (200, 0.22)):
        r, g, b = colorsys.hls_to_rgb(((hue + shift) % 360) / 360, light, 0.45)
        out.append((round(r * 255) << 16) | (round(g * 255) << 8) | round(b * 255))
    return out


def svg_to_png(svg: Path, dest: Path, *, width: int = SHARE_SIZE[0],
               height: int = SHARE_SIZE[1], text: dict[str, str] | None = None,
               background: str = "white") -> Probe:
    """Rasterize ``svg`` to an opaque ``width`` x ``height`` PNG at ``dest``, atomically.

    ffmpeg's librsvg decoder draws the SVG at ``width`` pixels wide; it is
    scaled to fit, centred on ``background`` (what shows through transparent
    parts), and saved as 24-bit PNG at the highest compression. ``text``
    becomes tEXt chunks. The file is written through the one writer
    (:func:`seedpress.writer.write_by`): to a temporary name beside ``dest``,
    checked with ffprobe (a PNG of the right size), then renamed; on any
    failure ``dest`` is left as it was.
    """
    found: list[Probe] = []

    def make(tmp: Path) -> None:
        graph = (f"color=c={background}:s={width}x{height}[bg];"
                 f"[0:v]scale={width}:{height}:force_original_aspect_ratio=decrease[fg];"
                 "[bg][fg]overlay=x=(W-w)/2:y=(H-h)/2:shortest=1,format=rgb24")
        _run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
              "-width", str(width), "-i", str(svg), "-filter_complex", graph,
              "-frames:v", "1", "-c:v", "png", "-pred", "mixed", "-compression_level", "9",
              "-f", "image2", "-update", "1", str(tmp)], timeout=120)
        if text:
            data = tmp.read_bytes()
            try:
                for key, value in text.items():
                    data = with_text(data, key, value)
            except MediaError as err:
                raise MediaError(f"ffmpeg wrote an unreadable PNG for {svg.name}: {err}") from None
            tmp.write_bytes(data)

    def verify(tmp: Path) -> None:
        probed = probe(tmp)
        if probed.video_codec != "png" or (probed.width, probed.height) != (width, height):
            raise MediaError(f"{svg.name}: rasterized to {probed.video_codec} "
                             f"{probed.width}x{probed.height}, expected png {width}x{height}")
        found.append(probed)

    write_by(dest, make, verify=verify)
    return found[0]
