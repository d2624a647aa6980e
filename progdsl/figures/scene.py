"""A figure spec posed: its frames on the floor, its props placed, and the checks on both.

`build` poses every frame and places the props; `problems` lists what a physiotherapist
would call wrong with the data: a joint beyond its normal range, a part below the floor,
a prop the body does not touch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .model import BASES, JOINTS, RADIUS, Posed, Vec, expand, pose
from .spec import FigureSpec

FLOOR_TOLERANCE = 0.02  # of height: how far a part may sink into the floor line
SEATS = {"chair": (0.18, 0.34), "bench": (0.15, 0.34), "step": (0.05, 0.22)}


@dataclass(frozen=True)
class Prop:
    """A placed prop: its kind, the part it touches, and where (world units, one per frame
    for props that move with the body)."""

    kind: str
    part: str
    anchor: Vec | None  # a fixed point: a seat's top centre, a wall's foot, a band's anchor
    touching: bool


@dataclass(frozen=True)
class Scene:
    spec: FigureSpec
    frames: tuple[Posed, ...]
    props: tuple[Prop, ...]


def _centre(frame: Posed, part: str) -> Vec:
    points = [frame.points[name] for name in expand([part])]
    n = len(points)
    return (sum(p[0] for p in points) / n, sum(p[1] for p in points) / n, sum(p[2] for p in points) / n)


def _low(frame: Posed, part: str) -> float:
    return min(frame.points[name][1] - RADIUS[name] for name in expand([part]))


def _place(kind: str, part: str, frames: tuple[Posed, ...]) -> Prop:
    if kind == "mat":
        touching = any(min(p[1] - RADIUS[n] for n, p in f.points.items()) < 0.03 for f in frames)
        return Prop(kind, part, None, touching)
    if kind in SEATS:
        low, high = SEATS[kind]
        for frame in frames:
            top = _low(frame, part)
            if low <= top <= high:
                x, _, z = _centre(frame, part)
                return Prop(kind, part, (x, top, z), True)
        return Prop(kind, part, None, False)
    if kind == "wall":
        x, _, z = _centre(frames[0], part)
        touching = all(abs(_centre(f, part)[0] - x) < 0.04 for f in frames)
        return Prop(kind, part, (x, 0.0, z), touching)
    if kind == "resistance_band":
        first, last = _centre(frames[0], part), _centre(frames[-1], part)
        dx, dy, dz = (first[0] - last[0], first[1] - last[1], first[2] - last[2])
        length = math.sqrt(dx * dx + dy * dy + dz * dz)
        if length < 0.02:  # a hold: the band runs down to the floor
            anchor = (first[0], 0.0, first[2])
        else:
            anchor = (first[0] + dx / length * 0.3, first[1] + dy / length * 0.3, first[2] + dz / length * 0.3)
        return Prop(kind, part, (anchor[0], max(anchor[1], 0.0), anchor[2]), True)
    if kind == "mini_band":
        return Prop(kind, part, None, len(expand([part])) == 2)
    if kind == "foam_roller":
        for frame in frames:
            top = _low(frame, part)
            if 0.06 <= top <= 0.14:
                x, _, z = _centre(frame, part)
                return Prop(kind, part, (x, top, z), True)
        return Prop(kind, part, None, False)
    if kind in ("towel", "wand"):
        ends = ("near_hand", "far_hand") if kind == "wand" else ("near_hand", part)
        reach = 0.7 if kind == "wand" else 0.5
        touching = all(_distance(f.points[ends[0]], _centre(f, ends[1])) <= reach for f in frames)
        return Prop(kind, part, None, touching)
    return Prop(kind, part, None, True)  # dumbbell, ball: carried by the part


def _distance(a: Vec, b: Vec) -> float:
    return math.sqrt(sum((a[i] - b[i]) ** 2 for i in range(3)))


ROLLER = 0.09  # a foam roller's height, of the body's


def _frame(spec: FigureSpec, angles: dict, lift: float = 0.0, shift: float = 0.0, keep=()) -> Posed:
    rests_on = tuple(angles.get("rests_on", ())) or spec.rests_on
    return pose(BASES[spec.base], angles, rests_on, lift, shift, keep)


def build(spec: FigureSpec) -> Scene:
    """Pose every frame and place the props: those a frame stands `on` are placed from the
    frames on the floor, and that frame is lifted onto them."""
    grounded = [angles for angles in spec.frames if "on" not in angles]
    opening = _frame(spec, spec.frames[0])
    keep = {name: opening.points[name][0] for name in opening.touching}
    first = tuple(_frame(spec, angles, keep=keep) for angles in grounded)
    props = tuple(_place(kind, part, first) for kind, part in spec.props)
    frames = []
    for angles in spec.frames:
        lift = shift = 0.0
        if angles.get("on") == "foam_roller":
            lift = ROLLER
        elif "on" in angles:
            under = next((p.anchor for p in props if p.kind == angles["on"] and p.anchor), None)
            if under:
                lift, shift = under[1], under[0]
        frames.append(_frame(spec, angles, lift, shift, keep if "on" not in angles else None))
    props = tuple(_place(kind, part, tuple(frames)) for kind, part in spec.props)
    return Scene(spec, tuple(frames), props)


def problems(spec: FigureSpec) -> list[str]:
    """What is wrong with a figure's data, in words; empty when it passes."""
    found: list[str] = []
    names = ("start", "end") if len(spec.frames) == 2 else ("pose",)
    for name, angles in zip(names, spec.frames, strict=True):
        for joint, degrees in sorted(angles.items()):
            limits = JOINTS.get(joint)
            if limits is None:
                continue
            if limits and not limits.low <= degrees <= limits.high:
                found.append(
                    f"{name}: {joint} = {degrees:g} is beyond what a body does ({limits.low:g} to {limits.high:g}: {limits.meaning})"
                )
    if found:  # the floor and the props are judged on a body that can take the pose
        return found
    scene = build(spec)
    for name, frame in zip(names, scene.frames, strict=True):
        for part, point in sorted(frame.points.items()):
            depth = point[1] - RADIUS[part]
            if depth < -FLOOR_TOLERANCE:
                found.append(f"{name}: {part} is {-depth:.2f} of the body's height below the floor")
    for prop in scene.props:
        if not prop.touching:
            found.append(f"the {prop.kind} does not touch the {prop.part or 'body'} in any frame")
    return found
