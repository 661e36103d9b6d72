"""The demonstrations: every exercise has one, the figure is rigid and in the picture, the
files decode within Telegram's bounds, and broken data stops start-up naming the entry."""

from __future__ import annotations

import math
import shutil
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from PIL import Image

from bot import demos
from bot.content import DEFAULT_CONTENT_DIR, ContentError, load_content
from bot.demos.body import HEAD_RADIUS, SEGMENTS
from bot.demos.draw import CAPTION, HEIGHT, SUPERSAMPLE, WIDTH, Canvas, timeline

CONTENT = load_content()
DEMOS = sorted(CONTENT.demos.items())


def test_every_exercise_and_every_variant_has_a_demonstration():
    assert set(CONTENT.demos) == set(CONTENT.exercises)
    variants = {e.easier for e in CONTENT.exercises.values()} - {None}
    assert variants and variants <= set(CONTENT.demos)


@pytest.mark.parametrize(("exercise_id", "demo"), DEMOS, ids=[i for i, _ in DEMOS])
def test_segments_keep_their_length_in_every_frame(exercise_id, demo):
    for frame in timeline(demo):
        joints = demo.joints(frame.pose)
        for segment in SEGMENTS:
            length = math.dist(joints[segment.start], joints[segment.end])
            assert length == pytest.approx(segment.length, abs=1e-6), (exercise_id, segment)


@pytest.mark.parametrize(("exercise_id", "demo"), DEMOS, ids=[i for i, _ in DEMOS])
def test_the_figure_stays_inside_the_picture_above_the_caption(exercise_id, demo):
    frames = timeline(demo)
    canvas = Canvas(demo, [f.pose for f in frames], (WIDTH, HEIGHT))
    head = HEAD_RADIUS * canvas.scale
    for frame in frames:
        for x, y, _ in demo.joints(frame.pose).values():
            px, py = (v / SUPERSAMPLE for v in canvas.point(x, y))
            assert head <= px <= WIDTH - head, exercise_id
            assert head <= py <= HEIGHT - CAPTION, exercise_id


@pytest.mark.parametrize(("exercise_id", "demo"), DEMOS, ids=[i for i, _ in DEMOS])
def test_the_animation_is_a_looping_gif_telegram_accepts(exercise_id, demo):
    gif = demos.animation(demo, CONTENT.exercises[exercise_id].name)
    image = Image.open(BytesIO(gif))
    assert image.format == "GIF" and image.size == (480, 360)
    assert image.n_frames == len(timeline(demo)) >= 10
    total = 0
    for index in range(image.n_frames):
        image.seek(index)
        total += image.info["duration"]
    assert 2000 <= total <= 6000
    assert image.info.get("loop") == 0  # forever
    assert len(gif) < 1_000_000


def test_the_still_is_the_key_pose_as_a_png():
    demo = CONTENT.demos["glute-bridge"]
    png = demos.still(demo, "Glute bridge")
    image = Image.open(BytesIO(png))
    assert (image.format, image.size) == ("PNG", (480, 360))


def test_the_bridge_lifts_the_hips_a_few_inches_without_arching():
    demo = CONTENT.demos["glute-bridge"]
    down, up = (demo.joints(pose) for pose in demo.poses())
    lift = up["pelvis"][1] - down["pelvis"][1]
    assert 4 <= lift <= 10  # body units: a standing figure is about 100
    # No arch: the pelvis stays below the line from the shoulders to the knees.
    (sx, sy, _), (kx, ky, _), (px, py, _) = up["neck"], up["knee_r"], up["pelvis"]
    assert py <= sy + (ky - sy) * (px - sx) / (kx - sx)


def test_the_side_lunge_bends_one_knee_and_keeps_the_other_leg_straight():
    demo = CONTENT.demos["lateral-lunge"]
    lunge = demo.joints(demo.poses()[demo.key])

    def bend(side: str) -> float:  # how much shorter than the straight leg (48 units)
        return 48 - math.dist(lunge[f"hip_{side}"], lunge[f"ankle_{side}"])

    assert bend("r") > 5 and bend("l") < 0.5
    assert abs(lunge["knee_r"][0] - lunge["ankle_r"][0]) < 6  # knee over the toes


def test_a_changed_keyframe_changes_the_content_hash():
    demo = CONTENT.demos["glute-bridge"]
    changed = demo.model_copy(
        update={
            "keyframes": (demo.keyframes[0].model_copy(update={"hold": 0.5}), *demo.keyframes[1:])
        }
    )
    assert changed.content_hash != demo.content_hash
    assert demo.model_copy().content_hash == demo.content_hash


def broken(tmp_path: Path, edit) -> Path:
    directory = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, directory)
    path = directory / "demos.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data["demos"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return directory


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d["glute-bridge"]["keyframes"][1]["pose"].update(tail=3),
            "demos 'glute-bridge': keyframes.2: Value error, unknown joint or segment 'tail'",
        ),
        (lambda d: d.pop("small-bridge"), "exercises 'small-bridge' has no demonstration"),
        (lambda d: d.update(pigeon=d["chair-pigeon"]), "demos 'pigeon': unknown exercise id"),
        (
            lambda d: d["figure-four"]["keyframes"][0]["pose"].pop("shin_l"),
            "demos 'figure-four': keyframe 1: no direction for shin_l",
        ),
        (
            lambda d: d["small-bridge"].update(keyframes=d["small-bridge"]["keyframes"][:1]),
            "demos 'small-bridge': keyframes: Tuple should have at least 2 items",
        ),
        (
            lambda d: d["small-bridge"]["keyframes"][1].update(pelvis=[0, 6], pose={"trunk": 180}),
            "demos 'small-bridge': keyframe 1: the same as the keyframe before it",
        ),
        (
            lambda d: d["glute-bridge"]["keyframes"][1].update(pelvis=[1, 60]),
            "demos 'glute-bridge': keyframe 2: a reach target is out of reach",
        ),
    ],
)
def test_broken_demonstrations_stop_start_up_naming_file_and_entry(tmp_path, edit, message):
    with pytest.raises(ContentError) as error:
        load_content(broken(tmp_path, edit))
    assert str(error.value).startswith("demos.yaml: ")
    assert message in str(error.value)
