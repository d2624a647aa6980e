"""The body model: fixed segment lengths, named joints, bases, and forward kinematics.

Lengths are fractions of standing height (H = 1), from the anthropometric table in
docs/figures.md. A pose is a mapping of joint name to degrees; a joint left out is at its
zero. The body is posed in 3-D (x forward, y up, z towards the near side), placed by its
base, set on the floor, then projected by the view. Pure Python, no dependencies.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

# ---- proportions (fractions of standing height) ------------------------------------------------

HEAD = 0.130  # top of head to chin
NECK = 0.052  # chin to the shoulder line
TRUNK = 0.818 - 0.530  # hip joints to shoulder joints
UPPER_ARM = 0.186
FOREARM = 0.146
HAND = 0.108
THIGH = 0.245
SHIN = 0.246
FOOT = 0.152
ANKLE = 0.039  # ankle joint above the sole
SHOULDER_WIDTH = 0.259
HIP_WIDTH = 0.191

SIDES = ("near", "far")

# ---- joints: name -> (low, high) degrees, and what the angle means ------------------------------


@dataclass(frozen=True)
class Joint:
    name: str
    low: float
    high: float
    meaning: str


def _joints() -> dict[str, Joint]:
    found = [
        Joint("trunk", -25, 80, "lumbar flexion (+ bends forward, - arches back)"),
        Joint(
            "back_curve",
            -30,
            80,
            "the back's curve between pelvis and shoulders (+ rounds it, - hollows it): the degrees its arc turns",
        ),
        Joint("pelvis_hike", -15, 15, "the pelvis tilts sideways (+ lifts the near hip, as a hip hitch does)"),
        Joint("trunk_side", -35, 35, "side bend (+ towards the near side)"),
        Joint("trunk_turn", -45, 45, "rotation (+ turns the chest towards the near side)"),
        Joint("neck", -60, 45, "flexion (+ chin to chest, - looks up)"),
        Joint(
            "head_nod",
            -30,
            30,
            "nods the head on the top of the neck (+ chin in); with neck = -15 it slides the chin back",
        ),
        Joint("neck_side", -45, 45, "side bend (+ ear towards the near shoulder)"),
        Joint("neck_turn", -80, 80, "rotation (+ turns the face towards the near side)"),
    ]
    for side in SIDES:
        found += [
            Joint(f"{side}_shoulder", -60, 180, "flexion (+ raises the arm forward, - takes it back)"),
            Joint(f"{side}_shoulder_abd", -50, 180, "abduction (+ raises the arm out to the side, - across the body)"),
            Joint(f"{side}_shoulder_rot", -90, 90, "rotation (+ external: a bent forearm swings outward)"),
            Joint(f"{side}_elbow", 0, 150, "flexion (0 straight; never past straight)"),
            Joint(
                f"{side}_wrist",
                -80,
                90,
                "extension (+ bends the hand back, as flat on the floor on all fours; - flexion)",
            ),
            Joint(f"{side}_hip", -30, 120, "flexion (+ thigh forward, - extension behind)"),
            Joint(f"{side}_hip_abd", -30, 45, "abduction (+ thigh out to the side, - across)"),
            Joint(f"{side}_hip_rot", -45, 45, "rotation (+ external: the knee turns out)"),
            Joint(f"{side}_knee", 0, 135, "flexion (0 straight; never past straight)"),
            Joint(f"{side}_ankle", -50, 20, "dorsiflexion (+ toes up, - points the foot)"),
        ]
    return {joint.name: joint for joint in found}


JOINTS: dict[str, Joint] = _joints()

# ---- landmarks: the points a pose puts somewhere, and how thick the body is there ---------------

RADIUS = {"head": HEAD / 2, "shoulders": 0.05, "pelvis": 0.05, "mid_back": 0.05, "chin": 0.02}
for _side in SIDES:
    RADIUS.update(
        {
            f"{_side}_shoulder": 0.04,
            f"{_side}_elbow": 0.02,
            f"{_side}_wrist": 0.015,
            f"{_side}_hand": 0.01,
            f"{_side}_hip": 0.05,
            f"{_side}_knee": 0.03,
            f"{_side}_ankle": 0.02,
            f"{_side}_heel": 0.0,
            f"{_side}_toe": 0.0,
        }
    )
LANDMARKS = tuple(RADIUS)

GROUPS = {
    "shoulders_both": ("near_shoulder", "far_shoulder"),
    "elbows": ("near_elbow", "far_elbow"),
    "wrists": ("near_wrist", "far_wrist"),
    "hands": ("near_hand", "far_hand"),
    "hips": ("near_hip", "far_hip"),
    "knees": ("near_knee", "far_knee"),
    "ankles": ("near_ankle", "far_ankle"),
    "heels": ("near_heel", "far_heel"),
    "toes": ("near_toe", "far_toe"),
    "feet": ("near_heel", "near_toe", "far_heel", "far_toe"),
    "near_foot": ("near_heel", "near_toe"),
    "far_foot": ("far_heel", "far_toe"),
}


def expand(names) -> tuple[str, ...]:
    """Landmark names with groups (`hands`, `knees`, `feet`, ...) spelt out."""
    out: list[str] = []
    for name in names:
        out.extend(GROUPS.get(name, (name,)))
    return tuple(out)


PART_NAMES = tuple(sorted(set(LANDMARKS) | set(GROUPS)))

# ---- bases ---------------------------------------------------------------------------------------

Matrix = tuple[tuple[float, float, float], tuple[float, float, float], tuple[float, float, float]]
Vec = tuple[float, float, float]


def _rx(deg: float) -> Matrix:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((1, 0, 0), (0, c, -s), (0, s, c))


def _ry(deg: float) -> Matrix:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, 0, s), (0, 1, 0), (-s, 0, c))


def _rz(deg: float) -> Matrix:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, -s, 0), (s, c, 0), (0, 0, 1))


def _mul(a: Matrix, b: Matrix) -> Matrix:
    return tuple(tuple(sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)) for i in range(3))  # type: ignore[return-value]


def _apply(m: Matrix, v: Vec) -> Vec:
    return (
        m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
        m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
        m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
    )


def add(a: Vec, b: Vec, scale: float = 1.0) -> Vec:
    """`a` plus `scale` times `b`: a point moved along a direction, or a difference of points."""
    return (a[0] + b[0] * scale, a[1] + b[1] * scale, a[2] + b[2] * scale)


IDENTITY: Matrix = ((1, 0, 0), (0, 1, 0), (0, 0, 1))


@dataclass(frozen=True)
class Base:
    """How the body is placed: its rotation, whether the picture is mirrored (so the head
    or face is to the right), the joints it starts from, and the parts it rests on."""

    name: str
    rotation: Matrix
    mirror: bool
    defaults: Mapping[str, float]
    rests_on: tuple[str, ...]
    meaning: str


_LYING = ("pelvis", "shoulders", "head")
BASES: dict[str, Base] = {
    base.name: base
    for base in (
        Base("standing", IDENTITY, False, {}, ("feet",), "upright on both feet, facing right"),
        Base(
            "sitting",
            IDENTITY,
            False,
            {"near_hip": 90, "far_hip": 90, "near_knee": 90, "far_knee": 90},
            ("feet",),
            "hips and knees at 90 degrees, feet on the floor (add a chair or bench to sit on; without one, set rests_on)",
        ),
        Base(
            "kneeling",
            IDENTITY,
            False,
            {"near_knee": 90, "far_knee": 90, "near_ankle": -45, "far_ankle": -45},
            ("knees", "toes"),
            "upright on both knees",
        ),
        Base(
            "four_point_kneeling",
            _rz(-90),
            False,
            {
                "near_hip": 90,
                "far_hip": 90,
                "near_knee": 90,
                "far_knee": 90,
                "near_ankle": -45,
                "far_ankle": -45,
                "near_shoulder": 90,
                "far_shoulder": 90,
                "near_wrist": 90,
                "far_wrist": 90,
                "neck": -10,
            },
            ("knees", "hands"),
            "on hands and knees, head to the right",
        ),
        Base("lying_on_back", _rz(90), True, {}, _LYING, "on the back, face up, head to the right"),
        Base(
            "lying_face_down",
            _rz(-90),
            False,
            {"near_ankle": -45, "far_ankle": -45},
            _LYING,
            "on the front, face down, head to the right, feet pointed",
        ),
        Base(
            "side_lying",
            ((0, 1, 0), (0, 0, 1), (1, 0, 0)),
            False,
            {},
            ("far_hip", "far_shoulder"),
            "on the far side, near side up, head to the right, facing the viewer",
        ),
    )
}

VIEWS = ("side", "front", "above")
VIEW_MEANING = {
    "side": "from the near side (the default); `tilt` raises the eye to look down on a side-lying body",
    "front": "from in front: left and right, arms and legs out to the side",
    "above": "from the ceiling: a body lying on the floor seen whole, arms out on the floor",
}


@dataclass(frozen=True)
class Posed:
    """One frame: every landmark's position on the floor-based world (y up, 0 = floor)."""

    points: dict[str, Vec]
    angles: Mapping[str, object]
    touching: tuple[str, ...] = ()  # the resting parts on the floor (or on what the frame is `on`)


def _landmarks(angles: Mapping[str, float]) -> dict[str, Vec]:
    """Landmarks in the body's own frame, the pelvis at the origin."""
    a = lambda name: float(angles.get(name, 0.0))  # noqa: E731
    points: dict[str, Vec] = {"pelvis": (0.0, 0.0, 0.0)}
    trunk = _mul(_mul(_rz(-a("trunk")), _rx(a("trunk_side"))), _ry(-a("trunk_turn")))
    shoulders = _apply(trunk, (0, TRUNK, 0))
    points["shoulders"] = shoulders
    # the middle of the back, off the straight line to the shoulders by the sagitta of an arc
    # that turns `back_curve` degrees (- x is the back; rounding pushes it out)
    bow = TRUNK / 2 * math.tan(math.radians(a("back_curve")) / 4)
    points["mid_back"] = _apply(trunk, (-bow, TRUNK / 2, 0))
    neck = _mul(_mul(_mul(trunk, _rz(-a("neck"))), _rx(a("neck_side"))), _ry(-a("neck_turn")))
    chin = add(shoulders, _apply(neck, (0, NECK, 0)))
    points["chin"] = chin
    points["head"] = add(chin, _apply(_mul(neck, _rz(-a("head_nod"))), (0.01, HEAD / 2, 0)))
    pelvis = _rx(-a("pelvis_hike"))  # the hips' line, and the legs with it; the trunk stays
    for side, sign in (("near", 1), ("far", -1)):
        shoulder = add(shoulders, _apply(trunk, (0, 0, sign * SHOULDER_WIDTH / 2)))
        arm = _mul(
            _mul(_mul(trunk, _rz(a(f"{side}_shoulder"))), _rx(-sign * a(f"{side}_shoulder_abd"))),
            _ry(-sign * a(f"{side}_shoulder_rot")),
        )
        elbow = add(shoulder, _apply(arm, (0, -UPPER_ARM, 0)))
        forearm = _mul(arm, _rz(a(f"{side}_elbow")))
        wrist = add(elbow, _apply(forearm, (0, -FOREARM, 0)))
        hand = add(wrist, _apply(_mul(forearm, _rz(a(f"{side}_wrist"))), (0, -HAND, 0)))
        hip = _apply(pelvis, (0.0, 0.0, sign * HIP_WIDTH / 2))
        leg = _mul(
            pelvis,
            _mul(_mul(_rz(a(f"{side}_hip")), _rx(-sign * a(f"{side}_hip_abd"))), _ry(-sign * a(f"{side}_hip_rot"))),
        )
        knee = add(hip, _apply(leg, (0, -THIGH, 0)))
        shin = _mul(leg, _rz(-a(f"{side}_knee")))
        ankle = add(knee, _apply(shin, (0, -SHIN, 0)))
        foot = _mul(shin, _rz(a(f"{side}_ankle")))
        points.update(
            {
                f"{side}_shoulder": shoulder,
                f"{side}_elbow": elbow,
                f"{side}_wrist": wrist,
                f"{side}_hand": hand,
                f"{side}_hip": hip,
                f"{side}_knee": knee,
                f"{side}_ankle": ankle,
                f"{side}_heel": add(ankle, _apply(foot, (-0.035, -ANKLE, 0))),
                f"{side}_toe": add(ankle, _apply(foot, (FOOT - 0.035, -ANKLE, 0))),
            }
        )
    return points


def pose(
    base: Base,
    angles: Mapping[str, float],
    rests_on: tuple[str, ...] = (),
    lift: float = 0.0,
    shift: float = 0.0,
    keep: Mapping[str, float] | None = None,
) -> Posed:
    """Place a frame: the base's rotation, the frame's `pitch` degrees more in the picture's
    plane (+ lifts the head end), then down so the lowest resting part is `lift` above the floor."""
    merged = {**base.defaults, **angles}
    pitch = float(merged.get("pitch", 0.0))
    rotation = _mul(_rz(pitch if not base.mirror else -pitch), base.rotation)
    local = _landmarks(merged)
    world = {name: _apply(rotation, point) for name, point in local.items()}
    support = expand(rests_on or base.rests_on)
    lowest = min(world[name][1] - RADIUS[name] for name in support)
    # the parts that touch the floor stay where they are from frame to frame: those that touched
    # in the first frame too (`keep`: their x there) stay at that x; a first frame centres them on 0
    touching = tuple(name for name in support if world[name][1] - RADIUS[name] - lowest < 0.02)
    keep = keep or {}
    kept = [name for name in touching if name in keep] or list(touching)
    middle = sum(world[name][0] - keep.get(name, 0.0) for name in kept) / len(kept)
    placed = {name: (p[0] - middle + shift, p[1] - lowest + lift, p[2]) for name, p in world.items()}
    return Posed(placed, merged, touching)


def project(point: Vec, view: str, tilt: float = 0.0, mirror: bool = False) -> tuple[float, float, float]:
    """Picture x, picture y (up) and depth (larger is nearer the eye) of a world point."""
    x, y, z = point
    if view == "front":
        px, py, depth = z, y, x
    elif view == "above":
        px, py, depth = x, -z, y
    else:
        c, s = math.cos(math.radians(tilt)), math.sin(math.radians(tilt))
        px, py, depth = x, y * c - z * s, z * c + y * s
    return (-px if mirror else px, py, depth)
