"""The 2-D body model: rigid segments, forward kinematics, two-link reach, eased interpolation.

A pose gives each segment a direction (degrees in the picture plane, 0 = pointing right,
90 = up) and optionally a tilt toward the viewer (degrees), so a thigh seen end-on in a front
view is short on screen while its length in space never changes. The pelvis is the root; hips
and shoulders sit half a body-width to each side. Units: a standing figure is about 100 tall.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

Vec = tuple[float, float, float]


class View(StrEnum):
    SIDE = "side"  # facing right; the figure's right side is nearer the viewer
    FRONT = "front"  # facing the viewer; the figure's right is on the picture's left


@dataclass(frozen=True, slots=True)
class Segment:
    name: str
    start: str  # joint
    end: str  # joint
    length: float


SEGMENTS: tuple[Segment, ...] = (
    Segment("trunk", "pelvis", "neck", 30.0),
    Segment("head", "neck", "head", 9.0),
    *(
        seg
        for side in ("l", "r")
        for seg in (
            Segment(f"upper_arm_{side}", f"shoulder_{side}", f"elbow_{side}", 16.0),
            Segment(f"forearm_{side}", f"elbow_{side}", f"wrist_{side}", 15.0),
            Segment(f"thigh_{side}", f"hip_{side}", f"knee_{side}", 25.0),
            Segment(f"shin_{side}", f"knee_{side}", f"ankle_{side}", 23.0),
            Segment(f"foot_{side}", f"ankle_{side}", f"toe_{side}", 8.0),
        )
    ),
)
SEGMENT_NAMES = frozenset(s.name for s in SEGMENTS)
BY_NAME: Mapping[str, Segment] = {s.name: s for s in SEGMENTS}
JOINTS = frozenset(
    {"pelvis", "neck", "head"} | {s.end for s in SEGMENTS} | {s.start for s in SEGMENTS}
)
HEAD_RADIUS = 6.5
HIP_HALF_WIDTH = 5.0
SHOULDER_HALF_WIDTH = 9.0
# Two-link chains a target can be set for: (joint reached, upper segment, lower segment,
# default bend: +1 bends to the left of the root→target line, so knees go forward, elbows back).
CHAINS: Mapping[str, tuple[str, str, int]] = {
    **{f"ankle_{s}": (f"thigh_{s}", f"shin_{s}", 1) for s in ("l", "r")},
    **{f"wrist_{s}": (f"upper_arm_{s}", f"forearm_{s}", -1) for s in ("l", "r")},
}


class OutOfReach(ValueError):
    """A target further away than the two segments can reach."""


@dataclass(frozen=True, slots=True)
class Direction:
    angle: float  # degrees in the picture plane
    tilt: float = 0.0  # degrees toward the viewer

    def unit(self) -> Vec:
        a, t = math.radians(self.angle), math.radians(self.tilt)
        return (math.cos(t) * math.cos(a), math.cos(t) * math.sin(a), math.sin(t))


@dataclass(frozen=True, slots=True)
class Target:
    x: float
    y: float
    bend: int  # +1 or -1: which side of the line the middle joint goes


@dataclass(frozen=True, slots=True)
class Pose:
    """Everything a frame needs: root position, segment directions, reach targets, twist."""

    pelvis: tuple[float, float]
    directions: Mapping[str, Direction]
    targets: Mapping[str, Target]
    twist: float = 0.0  # degrees the chest turns (positive: the right shoulder comes forward)
    turn: float = 0.0  # degrees the camera goes round toward the figure's front (see turned)


def _side_offset(view: View, side: str, half_width: float, twist: float) -> Vec:
    """Where the right/left hip or shoulder sits from the body's midline."""
    sign = 1.0 if side == "r" else -1.0
    x, z = (0.0, 1.0) if view is View.SIDE else (-1.0, 0.0)
    t = math.radians(twist)
    x, z = x * math.cos(t) + z * math.sin(t), -x * math.sin(t) + z * math.cos(t)
    return (sign * half_width * x, 0.0, sign * half_width * z)


def _add(a: Vec, b: Vec, scale: float = 1.0) -> Vec:
    return (a[0] + b[0] * scale, a[1] + b[1] * scale, a[2] + b[2] * scale)


def reach(start: Vec, target: Target, upper: float, lower: float) -> tuple[float, float]:
    """In-plane directions (degrees) of two segments from `start` to `target` (a 2-link IK)."""
    dx, dy = target.x - start[0], target.y - start[1]
    distance = math.hypot(dx, dy)
    if distance > upper + lower + 1e-6 or distance < abs(upper - lower) - 1e-6:
        raise OutOfReach(f"({target.x:g}, {target.y:g}) is {distance:.1f} away")
    distance = max(min(distance, upper + lower), abs(upper - lower), 1e-9)
    base = math.atan2(dy, dx)
    cos_inner = (upper**2 + distance**2 - lower**2) / (2 * upper * distance)
    inner = math.acos(max(-1.0, min(1.0, cos_inner)))
    first = base + target.bend * inner
    mx, my = start[0] + upper * math.cos(first), start[1] + upper * math.sin(first)
    second = math.atan2(target.y - my, target.x - mx)
    return math.degrees(first), math.degrees(second)


def solve(pose: Pose, view: View) -> dict[str, Vec]:
    """Every joint's position (x, y, toward-viewer z) for `pose`: forward kinematics, with the
    segments of each reach target solved first."""
    directions = dict(pose.directions)
    joints: dict[str, Vec] = {"pelvis": (pose.pelvis[0], pose.pelvis[1], 0.0)}
    for side in ("l", "r"):
        joints[f"hip_{side}"] = _add(joints["pelvis"], _side_offset(view, side, HIP_HALF_WIDTH, 0))
    neck = _add(joints["pelvis"], directions["trunk"].unit(), BY_NAME["trunk"].length)
    joints["neck"] = neck
    for side in ("l", "r"):
        offset = _side_offset(view, side, SHOULDER_HALF_WIDTH, pose.twist)
        joints[f"shoulder_{side}"] = _add(neck, offset)
    for joint, target in pose.targets.items():
        upper, lower, _ = CHAINS[joint]
        start = joints[BY_NAME[upper].start]
        first, second = reach(start, target, BY_NAME[upper].length, BY_NAME[lower].length)
        directions[upper], directions[lower] = Direction(first), Direction(second)
    for segment in SEGMENTS:
        if segment.end in joints:
            continue
        start = joints[segment.start]
        joints[segment.end] = _add(start, directions[segment.name].unit(), segment.length)
    return joints


def turned(joints: Mapping[str, Vec], degrees: float) -> dict[str, Vec]:
    """The joints seen with the scene turned `degrees` about the vertical axis at x = 0
    (positive: the figure's front turns toward the viewer, a three-quarter view)."""
    t = math.radians(degrees)
    c, s = math.cos(t), math.sin(t)
    return {name: (x * c - z * s, y, x * s + z * c) for name, (x, y, z) in joints.items()}


def ease(t: float) -> float:
    """Smooth start and stop (cosine ease-in-out) for t in [0, 1]."""
    return 0.5 - 0.5 * math.cos(math.pi * max(0.0, min(1.0, t)))


def _lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def _lerp_angle(a: float, b: float, t: float) -> float:
    """The short way round, so 170° → -170° turns 20°, not 340°."""
    return a + ((b - a + 180.0) % 360.0 - 180.0) * t


def blend(a: Pose, b: Pose, t: float) -> Pose:
    """The pose a fraction `t` of the way from `a` to `b` (`t` already eased).

    Reach targets held by both poses move in a straight line, so a planted foot stays put;
    a chain targeted in only one pose blends the solved directions instead.
    """
    directions = {
        name: Direction(
            _lerp_angle(a.directions[name].angle, b.directions[name].angle, t),
            _lerp(a.directions[name].tilt, b.directions[name].tilt, t),
        )
        for name in a.directions
    }
    targets = {
        joint: Target(_lerp(ta.x, tb.x, t), _lerp(ta.y, tb.y, t), ta.bend)
        for joint, ta in a.targets.items()
        if (tb := b.targets.get(joint)) is not None and tb.bend == ta.bend
    }
    return Pose(
        pelvis=(_lerp(a.pelvis[0], b.pelvis[0], t), _lerp(a.pelvis[1], b.pelvis[1], t)),
        directions=directions,
        targets=targets,
        twist=_lerp(a.twist, b.twist, t),
        turn=_lerp(a.turn, b.turn, t),
    )


def with_solved_directions(pose: Pose, view: View) -> Pose:
    """`pose` with its reach targets' segments written as directions (for blending)."""
    joints = solve(pose, view)
    directions = dict(pose.directions)
    for joint in pose.targets:
        for name in CHAINS[joint][:2]:
            seg = BY_NAME[name]
            s, e = joints[seg.start], joints[seg.end]
            directions[name] = Direction(math.degrees(math.atan2(e[1] - s[1], e[0] - s[0])))
    return Pose(pose.pelvis, directions, pose.targets, pose.twist, pose.turn)
