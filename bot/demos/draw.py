"""Draw a demonstration with Pillow: one frame per pose, a looped GIF, a still and a sheet.

CPU-bound: call these through `asyncio.to_thread`. Frames are drawn at twice the size and
scaled down (smooth lines), then share one palette so the loop does not flicker.
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bot.demos.body import (
    BY_NAME,
    HEAD_RADIUS,
    SEGMENTS,
    Pose,
    Vec,
    blend,
    ease,
)
from bot.demos.data import Demo, Prop, PropKind

WIDTH, HEIGHT = 480, 360
CAPTION = 56  # the band under the picture that carries the cue
MARGIN = 18
SUPERSAMPLE = 2
FPS = 12.5  # GIF frame times are whole hundredths: 80 ms
MAX_SCALE = 3.6  # pixels per body unit, so a small pose is not blown up

BACKGROUND = (250, 248, 244)
FLOOR = (196, 190, 180)
FLOOR_FILL = (238, 234, 226)
SKIN = (255, 236, 214)
NEAR = (46, 56, 74)
FAR = (148, 158, 174)
TINT = (230, 106, 44)
TINT_FAR = (240, 168, 128)
GLOW = (252, 222, 196)
TEXT = (40, 44, 52)
MUTED = (120, 124, 132)
PROP_COLORS: Mapping[PropKind, tuple[int, int, int]] = {
    PropKind.MAT: (178, 204, 222),
    PropKind.CHAIR: (176, 132, 92),
    PropKind.COUCH: (120, 160, 150),
    PropKind.BLOCK: (124, 104, 196),
    PropKind.CUSHION: (226, 200, 150),
    PropKind.ROLLER: (82, 140, 200),
    PropKind.WALL: (206, 200, 190),
}
LIMB = 3.4  # line widths in body units
TRUNK = 5.0


def _font_path() -> str | None:
    spec = importlib.util.find_spec("matplotlib")  # its DejaVu fonts, without importing it
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
    return str(path) if path.exists() else None


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = _font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)


@dataclass(frozen=True, slots=True)
class Frame:
    pose: Pose
    cue: str
    milliseconds: int


def timeline(demo: Demo, fps: float = FPS) -> list[Frame]:
    """The loop frame by frame: hold a keyframe, move (eased) to the next, back to the first."""
    poses = demo.poses()
    step = 1000 / fps
    frames: list[Frame] = []
    n = len(poses)
    for index, key in enumerate(demo.keyframes):
        hold_frames = max(1, round(key.hold * fps))
        frames.append(Frame(poses[index], key.cue, round(step * hold_frames)))
        following = demo.keyframes[(index + 1) % n]
        count = max(2, round(following.move * fps))
        for i in range(1, count):
            pose = blend(poses[index], poses[(index + 1) % n], ease(i / count))
            frames.append(Frame(pose, following.cue, round(step)))
    return frames


class Canvas:
    """World (body units, y up, floor at 0) to pixels, fitted to every frame of a demo."""

    def __init__(self, demo: Demo, poses: Sequence[Pose], size: tuple[int, int]) -> None:
        xs: list[float] = []
        ys: list[float] = [0.0]
        for pose in poses:
            for x, y, _ in demo.joints(pose).values():
                xs.append(x)
                ys.append(y)
        for prop in demo.props:
            if prop.at is None:
                box = _prop_box(prop)
                xs += [box[0], box[2]]
                ys += [box[1], box[3]]
        left, right = min(xs) - HEAD_RADIUS - 2, max(xs) + HEAD_RADIUS + 2
        bottom, top = min(ys) - 2, max(ys) + HEAD_RADIUS + 2
        width, height = size[0], size[1] - CAPTION
        self.scale = min(
            (width - 2 * MARGIN) / (right - left),
            (height - 2 * MARGIN) / (top - bottom),
            MAX_SCALE,
        )
        self.x0 = width / 2 - (left + right) / 2 * self.scale
        self.y0 = height - MARGIN + bottom * self.scale
        self.size = size

    def point(self, x: float, y: float) -> tuple[float, float]:
        return (self.x0 + x * self.scale) * SUPERSAMPLE, (self.y0 - y * self.scale) * SUPERSAMPLE

    def length(self, units: float) -> int:
        return max(1, round(units * self.scale * SUPERSAMPLE))


def _prop_box(prop: Prop, turn: float = 0.0) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of a fixed prop in body units."""
    x, y = prop.x, prop.y
    match prop.kind:
        case PropKind.MAT:
            half = (prop.width or 90) / 2 * max(0.35, math.cos(math.radians(turn)))
            return x - half, 0, x + half, 1.5
        case PropKind.CHAIR:
            half = (prop.width or 22) / 2
            return x - half, 0, x + half, 27 + 28
        case PropKind.COUCH:
            half = (prop.width or 30) / 2
            return x - half, 0, x + half, 60
        case PropKind.ROLLER:
            return x - 6, 0, x + 6, 12
        case PropKind.WALL:
            return x - 2, 0, x + 2, 105
        case _:
            return x - 5, y, x + 5, y + 7


def _draw_prop(
    draw: ImageDraw.ImageDraw, c: Canvas, prop: Prop, joints: Mapping[str, Vec], turn: float
) -> None:
    color = PROP_COLORS[prop.kind]
    dark = tuple(max(0, v - 50) for v in color)
    if prop.at is not None:
        ax, ay, _ = joints[prop.at]
        if prop.kind is PropKind.BLOCK:
            box = (ax - 4.5, ay - 4.0, ax + 4.5, ay + 4.0)
        else:  # a cushion under a knee
            box = (ax - 7, ay - 4.5, ax + 7, ay - 1.5)
    else:
        box = _prop_box(prop, turn)
    left, bottom, right, top = box
    p0, p1 = c.point(left, top), c.point(right, bottom)
    radius = c.length(1.2)
    outline = c.length(0.5)
    match prop.kind:
        case PropKind.CHAIR | PropKind.COUCH:
            _seat(draw, c, prop, color, dark)
        case PropKind.ROLLER:
            cx, cy = c.point(prop.x, 6)
            r = c.length(6)
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=color, outline=dark, width=outline)
            draw.ellipse((cx - r / 3, cy - r / 3, cx + r / 3, cy + r / 3), fill=dark)
        case PropKind.WALL:
            draw.rectangle((p0, p1), fill=color)
        case _:
            draw.rounded_rectangle((p0, p1), radius, fill=color, outline=dark, width=outline)


def _seat(
    draw: ImageDraw.ImageDraw,
    c: Canvas,
    prop: Prop,
    color: tuple[int, ...],
    dark: tuple[int, ...],
) -> None:
    couch = prop.kind is PropKind.COUCH
    half = (prop.width or (30 if couch else 22)) / 2
    seat = 32.0 if couch else 27.0
    thick = 9.0 if couch else 3.0
    x = prop.x
    leg = c.length(1.6)
    fill, edge = tuple(color), tuple(dark)
    back_x = x - half if prop.facing == "right" else x + half
    if prop.facing == "front":  # the backrest seen from the front, behind the sitter
        draw.rounded_rectangle(
            (c.point(x - half + 2, seat + 28), c.point(x + half - 2, seat)),
            c.length(1.5),
            fill=tuple(min(255, v + 40) for v in fill),
            outline=edge,
            width=c.length(0.5),
        )
    else:
        top = seat + 28
        draw.rounded_rectangle(
            (c.point(back_x - 2.5, top), c.point(back_x + 2.5, seat - 1)),
            c.length(1.5),
            fill=edge if not couch else fill,
            outline=edge,
            width=c.length(0.5),
        )
    for lx in (x - half + 1.5, x + half - 1.5):
        draw.line((c.point(lx, seat - thick), c.point(lx, 0)), fill=edge, width=leg)
    draw.rounded_rectangle(
        (c.point(x - half, seat), c.point(x + half, seat - thick)),
        c.length(1.5 if couch else 0.8),
        fill=fill,
        outline=edge,
        width=c.length(0.5),
    )


def _shade(z: float, near: tuple[int, int, int], far: tuple[int, int, int]) -> tuple[int, ...]:
    t = max(0.0, min(1.0, 0.5 - z / 16))
    return tuple(round(n + (f - n) * t) for n, f in zip(near, far, strict=True))


def draw_frame(demo: Demo, c: Canvas, pose: Pose, cue: str, title: str) -> Image.Image:
    """One picture: floor, props, the figure (tinted where it works) and the cue below."""
    w, h = c.size[0] * SUPERSAMPLE, c.size[1] * SUPERSAMPLE
    image = Image.new("RGB", (w, h), BACKGROUND)
    draw = ImageDraw.Draw(image)
    joints = demo.joints(pose)
    floor_y = c.point(0, 0)[1]
    draw.rectangle((0, floor_y, w, h), fill=FLOOR_FILL)
    draw.line((0, floor_y, w, floor_y), fill=FLOOR, width=c.length(0.8))
    highlight = set(demo.highlight)
    # Painter's order: far things first. Fixed props stand behind the figure; a block between
    # the knees sits between the far leg and the near one.
    layers: list[tuple[float, Prop | str]] = [
        (0.0 if prop.kind is PropKind.BLOCK else -100.0, prop) for prop in demo.props
    ]
    for segment in SEGMENTS:
        a, b = joints[segment.start], joints[segment.end]
        bias = 0.5 if segment.name in ("trunk", "head") else 0.0
        layers.append(((a[2] + b[2]) / 2 + bias, segment.name))
    layers.sort(key=lambda layer: layer[0])
    for z, item in layers:
        if isinstance(item, Prop):
            _draw_prop(draw, c, item, joints, pose.turn)
        else:
            seg = BY_NAME[item]
            _limb(draw, c, item, joints[seg.start], joints[seg.end], z, highlight)
    if "pelvis" in highlight:
        px, py = c.point(*joints["pelvis"][:2])
        r = c.length(4.2)
        draw.ellipse((px - r, py - r, px + r, py + r), fill=TINT)
    hx, hy = c.point(*joints["head"][:2])
    r = c.length(HEAD_RADIUS)
    draw.ellipse((hx - r, hy - r, hx + r, hy + r), fill=SKIN, outline=NEAR, width=c.length(1.6))
    _caption(draw, c, cue, title)
    return image.reduce(SUPERSAMPLE)


def _limb(
    draw: ImageDraw.ImageDraw,
    c: Canvas,
    name: str,
    a: Vec,
    b: Vec,
    z: float,
    highlight: set[str],
) -> None:
    width = {"head": LIMB * 0.8, "trunk": TRUNK}.get(name, LIMB)
    lit = name in highlight
    color = _shade(z, TINT, TINT_FAR) if lit else _shade(z, NEAR, FAR)
    p, q = c.point(*a[:2]), c.point(*b[:2])
    if lit:
        _stroke(draw, p, q, c.length(width + 3.0), GLOW)
    _stroke(draw, p, q, c.length(width), color)


def _stroke(
    draw: ImageDraw.ImageDraw,
    p: tuple[float, float],
    q: tuple[float, float],
    width: int,
    color: tuple[int, ...],
) -> None:
    draw.line((p, q), fill=color, width=width)
    r = width / 2
    for x, y in (p, q):
        draw.ellipse((x - r, y - r, x + r, y + r), fill=color)


def _caption(draw: ImageDraw.ImageDraw, c: Canvas, cue: str, title: str) -> None:
    w, h = c.size[0] * SUPERSAMPLE, c.size[1] * SUPERSAMPLE
    band = CAPTION * SUPERSAMPLE
    draw.rectangle((0, h - band, w, h), fill=(255, 255, 255))
    draw.line((0, h - band, w, h - band), fill=FLOOR, width=SUPERSAMPLE)
    font = _font(20 * SUPERSAMPLE)
    size = 20
    while draw.textlength(cue, font=font) > w - 24 * SUPERSAMPLE and size > 13:
        size -= 1
        font = _font(size * SUPERSAMPLE)
    draw.text((w / 2, h - band / 2), cue, fill=TEXT, font=font, anchor="mm")
    small = _font(13 * SUPERSAMPLE)
    draw.text((10 * SUPERSAMPLE, 8 * SUPERSAMPLE), title, fill=MUTED, font=small)


def frames(demo: Demo, title: str, fps: float = FPS) -> Iterator[tuple[Image.Image, int]]:
    """Every frame of the loop with its duration in milliseconds."""
    plan = timeline(demo, fps)
    canvas = Canvas(demo, [f.pose for f in plan], (WIDTH, HEIGHT))
    for frame in plan:
        yield draw_frame(demo, canvas, frame.pose, frame.cue, title), frame.milliseconds


def render_gif(demo: Demo, title: str, fps: float = FPS) -> bytes:
    """The looped animation as a GIF (Telegram shows it with sendAnimation)."""
    pictures = list(frames(demo, title, fps))
    palette = _palette([image for image, _ in pictures])
    indexed = [image.quantize(palette=palette, dither=Image.Dither.NONE) for image, _ in pictures]
    out = BytesIO()
    indexed[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=indexed[1:],
        duration=[ms for _, ms in pictures],
        loop=0,
        optimize=False,
        disposal=1,
    )
    return out.getvalue()


def _palette(images: Sequence[Image.Image]) -> Image.Image:
    """One palette for the whole loop, from a strip of a few of its frames."""
    sample = images[:: max(1, len(images) // 6)]
    strip = Image.new("RGB", (WIDTH, HEIGHT * len(sample)))
    for i, image in enumerate(sample):
        strip.paste(image, (0, HEIGHT * i))
    return strip.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def render_still(demo: Demo, title: str) -> bytes:
    """The key pose as a PNG (the clinician report, the contact sheet)."""
    poses = demo.poses()
    plan = timeline(demo)
    canvas = Canvas(demo, [f.pose for f in plan], (WIDTH, HEIGHT))
    key = demo.keyframes[demo.key]
    image = draw_frame(demo, canvas, poses[demo.key], key.cue, title)
    out = BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def contact_sheet(stills: Sequence[tuple[str, bytes]], columns: int = 3) -> bytes:
    """All key poses on one page, each labelled with its exercise id."""
    rows = math.ceil(len(stills) / columns)
    label = 26
    sheet = Image.new("RGB", (columns * WIDTH, rows * (HEIGHT + label)), (255, 255, 255))
    draw = ImageDraw.Draw(sheet)
    font = _font(16)
    for index, (name, png) in enumerate(stills):
        x, y = (index % columns) * WIDTH, (index // columns) * (HEIGHT + label)
        draw.text((x + 10, y + 4), name, fill=TEXT, font=font)
        sheet.paste(Image.open(BytesIO(png)).convert("RGB"), (x, y + label))
        draw.rectangle((x, y, x + WIDTH - 1, y + HEIGHT + label - 1), outline=FLOOR)
    out = BytesIO()
    sheet.save(out, format="PNG", optimize=True)
    return out.getvalue()
