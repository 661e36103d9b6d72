"""The demonstrations as data (content/demos.yaml): load, validate and cross-check them.

One entry per exercise id (easier and harder variants are exercises too): a view, the props,
the highlighted segments and a few keyframes. The first keyframe sets every segment; later ones
name only what changes. Anything wrong stops start-up with the file and the entry named.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot import content_yaml
from bot.demos.body import (
    CHAINS,
    JOINTS,
    SEGMENT_NAMES,
    Direction,
    OutOfReach,
    Pose,
    Target,
    Vec,
    View,
    solve,
    turned,
    with_solved_directions,
)

FILE = "demos.yaml"
MIN_SECONDS, MAX_SECONDS = 2.0, 6.0
# Bumped when the drawing changes, so every demonstration is rendered and uploaded anew.
RENDERER_VERSION = "1"


class DemoError(ValueError):
    """A demonstration that cannot be drawn; the message names the entry."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PropKind(StrEnum):
    MAT = "mat"
    CHAIR = "chair"
    COUCH = "couch"
    BLOCK = "block"  # a yoga block or rolled towel
    CUSHION = "cushion"  # padding under a knee
    ROLLER = "roller"
    WALL = "wall"


class Prop(_Frozen):
    kind: PropKind
    x: float = 0.0  # where it stands (a mat: its middle; a chair or couch: its seat's middle)
    y: float = 0.0
    at: str | None = None  # a joint it moves with (a block between the knees)
    width: float | None = None  # a mat's length, a seat's depth
    facing: str = "right"  # chair, couch: the way a sitter faces (right, left, front)

    @model_validator(mode="after")
    def _known(self) -> Prop:
        if self.at is not None and self.at not in JOINTS:
            raise ValueError(f"unknown joint '{self.at}' for the {self.kind.value}")
        if self.facing not in ("right", "left", "front"):
            raise ValueError(f"facing must be right, left or front, not '{self.facing}'")
        return self


Angle = float | tuple[float, float]  # direction, or (direction, tilt toward the viewer)
Reach = tuple[float, float] | tuple[float, float, int] | None  # x, y (, bend ±1); None: let go


class Keyframe(_Frozen):
    # The caption while moving into and holding, in the reader's language: the loader fills it
    # in from the exercise's `demo_cues` (content/<language>/exercises.yaml).
    cue: str = Field(default="", max_length=60)
    move: float = Field(ge=0.1, le=3.0)  # seconds to get here from the keyframe before
    hold: float = Field(default=0.0, ge=0.0, le=3.0)  # seconds to stay
    pelvis: tuple[float, float] | None = None
    twist: float | None = Field(default=None, ge=-60, le=60)
    turn: float | None = Field(default=None, ge=-80, le=80)  # the camera, toward the front
    pose: Mapping[str, Angle] = Field(default_factory=dict)
    ik: Mapping[str, Reach] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known(self) -> Keyframe:
        for name in self.pose:
            if name not in SEGMENT_NAMES:
                raise ValueError(f"unknown joint or segment '{name}'")
        for joint, target in self.ik.items():
            if joint not in CHAINS:
                raise ValueError(f"'{joint}' cannot take a reach target (use {sorted(CHAINS)})")
            if target is not None and len(target) == 3 and target[2] not in (1, -1):
                raise ValueError(f"{joint}: bend must be 1 or -1")
        return self


class Demo(_Frozen):
    """One exercise's demonstration."""

    view: View
    props: tuple[Prop, ...] = ()
    highlight: tuple[str, ...] = Field(min_length=1)  # segments (or "pelvis") to tint
    key: int = Field(default=1, ge=0)  # the keyframe shown as the still
    keyframes: tuple[Keyframe, ...] = Field(min_length=2, max_length=8)

    @model_validator(mode="after")
    def _consistent(self) -> Demo:
        for name in self.highlight:
            if name not in SEGMENT_NAMES and name != "pelvis":
                raise ValueError(f"highlight: unknown joint or segment '{name}'")
        if self.key >= len(self.keyframes):
            raise ValueError(f"key: there is no keyframe {self.key}")
        seconds = self.seconds
        if not MIN_SECONDS <= seconds <= MAX_SECONDS:
            raise ValueError(
                f"lasts {seconds:g} s; a loop must last {MIN_SECONDS:g}–{MAX_SECONDS:g} s"
            )
        return self

    @property
    def seconds(self) -> float:
        return sum(k.move + k.hold for k in self.keyframes)

    @property
    def content_hash(self) -> str:
        """Changes whenever anything that shows in the picture changes (or the renderer)."""
        data = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(f"{RENDERER_VERSION}:{data}".encode()).hexdigest()[:32]

    def joints(self, pose: Pose) -> dict[str, Vec]:
        """Every joint of `pose` as drawn: (x, y, toward-viewer z) in body units."""
        joints = solve(pose, self.view)
        return turned(joints, pose.turn) if pose.turn else joints

    def poses(self) -> tuple[Pose, ...]:
        """Each keyframe's full pose (what a keyframe leaves out, it keeps from the one before),
        with reach targets' segments solved."""
        return _poses(self)


def _poses(demo: Demo) -> tuple[Pose, ...]:
    directions: dict[str, Direction] = {}
    targets: dict[str, Target] = {}
    pelvis: tuple[float, float] | None = None
    twist = turn = 0.0
    poses: list[Pose] = []
    for frame in demo.keyframes:
        pelvis = frame.pelvis or pelvis
        twist = frame.twist if frame.twist is not None else twist
        turn = frame.turn if frame.turn is not None else turn
        for name, angle in frame.pose.items():
            directions[name] = (
                Direction(angle) if isinstance(angle, float | int) else Direction(*angle)
            )
        for joint, reach_to in frame.ik.items():
            if reach_to is None:
                targets.pop(joint, None)
            else:
                bend = reach_to[2] if len(reach_to) == 3 else CHAINS[joint][2]
                targets[joint] = Target(reach_to[0], reach_to[1], bend)
        if pelvis is None:
            raise DemoError("keyframe 1: no pelvis position")
        covered = set(directions) | {s for j in targets for s in CHAINS[j][:2]}
        if missing := sorted(SEGMENT_NAMES - covered):
            raise DemoError(f"keyframe {len(poses) + 1}: no direction for {', '.join(missing)}")
        for name in (s for j in targets for s in CHAINS[j][:2]):
            directions.setdefault(name, Direction(0.0))
        pose = Pose(pelvis, dict(directions), dict(targets), twist, turn)
        try:
            poses.append(with_solved_directions(pose, demo.view))
        except OutOfReach as e:
            raise DemoError(
                f"keyframe {len(poses) + 1}: a reach target is out of reach: {e}"
            ) from None
    for index in range(len(poses)):
        before, after = poses[index - 1], poses[index]
        if _same(demo.joints(before), demo.joints(after)):
            raise DemoError(f"keyframe {index + 1}: the same as the keyframe before it")
    return tuple(poses)


def _same(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return all(max(abs(p - q) for p, q in zip(a[j], b[j], strict=True)) < 0.5 for j in a)


def load_demos(directory: Path, exercise_ids: Iterable[str]) -> Mapping[str, Demo]:
    """Every demonstration, checked against the exercises: each has one, none is left over.

    Raises the content loader's ContentError, naming the file and the entry.
    """
    from bot.content import ContentError  # the loader imports this module

    try:
        return _load(directory, list(exercise_ids))
    except DemoError as e:
        raise ContentError(str(e)) from None


def _load(directory: Path, ids: list[str]) -> Mapping[str, Demo]:
    path = directory / FILE
    try:
        with path.open(encoding="utf-8") as f:
            data = content_yaml.load(f)
    except FileNotFoundError:
        raise DemoError(f"{FILE}: file not found in {directory}") from None
    except content_yaml.YAMLError as e:
        raise DemoError(f"{FILE}: not valid YAML: {e}") from None
    if not isinstance(data, dict) or not isinstance(data.get("demos"), dict):
        raise DemoError(f"{FILE}: expected a mapping of exercise ids under 'demos'")
    demos: dict[str, Demo] = {}
    for exercise_id, raw in data["demos"].items():
        where = f"{FILE}: demos '{exercise_id}'"
        if exercise_id not in ids:
            raise DemoError(f"{where}: unknown exercise id")
        try:
            demo = Demo.model_validate(raw)
            demo.poses()
        except ValidationError as e:
            first = e.errors()[0]
            loc = ".".join(str(p + 1 if isinstance(p, int) else p) for p in first["loc"])
            raise DemoError(f"{where}: {loc + ': ' if loc else ''}{first['msg']}") from None
        except DemoError as e:
            raise DemoError(f"{where}: {e}") from None
        demos[exercise_id] = demo
    if missing := [i for i in ids if i not in demos]:
        raise DemoError(f"{FILE}: exercises '{missing[0]}' has no demonstration")
    return MappingProxyType(demos)
