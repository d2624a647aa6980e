"""A registry entry's `figure` table: its keys, what each accepts, and its faults in words.

`read` turns a checked table into a `FigureSpec`; `faults` lists what is wrong with an
unchecked one (registry_schema.py reports them as E311-E313 at their line).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..suggest import close_matches
from ..wording import did_you_mean
from .model import BASES, JOINTS, PART_NAMES, VIEWS

# prop -> (the part it touches unless `@part` says otherwise, what it is)
PROPS: dict[str, tuple[str, str]] = {
    "mat": ("", "under the body on the floor; touches whatever lies or kneels on it"),
    "chair": ("pelvis", "a seat under the part (seat 18-34% of height) with a backrest behind"),
    "bench": ("pelvis", "a backless seat under the part (15-34% of height)"),
    "step": ("near_foot", "a box under the part (5-22% of height)"),
    "wall": ("hands", "a wall where the part is in the first frame; the part must stay on it"),
    "resistance_band": ("near_hand", "from an anchor, opposite the movement, to the part"),
    "mini_band": ("knees", "a loop around a pair: knees, ankles or hands"),
    "dumbbell": ("near_hand", "held in the hand or hands"),
    "ball": ("hands", "a small ball held by or squeezed between the part(s)"),
    "foam_roller": ("pelvis", "a roller on the floor under the part, which must be lifted onto it"),
    "towel": ("near_foot", "held in the hands and looped round the part"),
    "wand": ("hands", "a stick held in both hands"),
}

KEYS: dict[str, str] = {
    "view": f"how it is seen: {', '.join(VIEWS)} (default side)",
    "base": f"the position the body starts from: {', '.join(BASES)}",
    "props": "the props, each `name` or `name@part`: " + ", ".join(PROPS),
    "pose": "one frame (a hold or a stretch): joint = degrees",
    "start": "the first frame of a movement: joint = degrees",
    "end": "the last frame: only the joints that change from `start`",
    "tilt": "degrees to raise the eye in a side view (0-70), to see a side-lying body from above",
    "facing": "`right` (default) or `left`",
    "rests_on": "the parts the body rests on the floor with, instead of the base's",
    "arrow": "the part the arrow follows (default: the part that moves most), or `none`",
}


PITCH = "a frame's `pitch` turns the whole body in the picture (+ lifts the head end), as in a bridge or plank"


ON = 'a frame\'s `on = "step"` puts its resting parts on top of that prop, as the end of a step-up'


@dataclass(frozen=True)
class Fault:
    code: str
    key: str  # the figure key (or joint) to point at
    message: str
    help: str | None = None
    value: str | None = None  # a quoted value to point at, when the fault is in it


@dataclass(frozen=True)
class FigureSpec:
    view: str
    base: str
    props: tuple[tuple[str, str], ...]  # (prop, part)
    frames: tuple[dict, ...]  # one (a hold) or two (start, end): angles, and pitch, rests_on, on
    tilt: float = 0.0
    facing: str = "right"
    rests_on: tuple[str, ...] = ()
    arrow: str = ""
    extra: dict = field(default_factory=dict)


def _is_number(value: object) -> bool:
    """A finite number of degrees (TOML also has inf and nan)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _hint(word: str, allowed) -> str | None:
    return did_you_mean(close_matches(word, list(allowed), n=1))


def faults(table: object) -> list[Fault]:
    """Everything wrong with a `figure` table's shape and words (not its geometry)."""
    if not isinstance(table, Mapping):
        return [Fault("E312", "figure", "`figure` must be a table", "write it as [ID.figure] with view, base and pose")]
    found: list[Fault] = []
    for key in table:
        if key not in KEYS:
            found.append(
                Fault("E311", key, f"`{key}` is not a key of a figure", _hint(key, KEYS) or "keys: " + ", ".join(KEYS))
            )
    words = {"view": VIEWS, "base": tuple(BASES), "facing": ("right", "left")}
    for key, allowed in words.items():
        if key in table:
            value = table[key]
            if not isinstance(value, str) or value not in allowed:
                shown = value if isinstance(value, str) else repr(value)
                hint = (_hint(shown, allowed) if isinstance(value, str) else None) or "one of " + ", ".join(allowed)
                found.append(
                    Fault(
                        "E312", key, f"`{shown}` is not a figure {key}", hint, value if isinstance(value, str) else None
                    )
                )
    if "base" not in table:
        found.append(Fault("E313", "figure", "the figure has no `base`", "add base = " + " | ".join(BASES)))
    for key, low, high in (("tilt", 0, 70),):
        if key in table and (not _is_number(table[key]) or not low <= table[key] <= high):
            found.append(Fault("E312", key, f"`{key}` must be a number of degrees from {low} to {high}", KEYS[key]))
    for key in ("props", "rests_on"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            found.append(Fault("E312", key, f"`{key}` must be a list of text", KEYS[key]))
            continue
        for item in value:
            if key == "props":
                name, _, part = item.partition("@")
                if name not in PROPS:
                    found.append(
                        Fault("E312", key, f"`{name}` is not a prop", _hint(name, PROPS) or KEYS["props"], item)
                    )
                elif part and part not in PART_NAMES:
                    found.append(
                        Fault("E312", key, f"`{part}` is not a body part", _hint(part, PART_NAMES) or "", item)
                    )
            elif item not in PART_NAMES:
                found.append(Fault("E312", key, f"`{item}` is not a body part", _hint(item, PART_NAMES) or "", item))
    arrow = table.get("arrow")
    if arrow is not None and (not isinstance(arrow, str) or (arrow != "none" and arrow not in PART_NAMES)):
        found.append(Fault("E312", "arrow", f"`{arrow}` is not a body part", KEYS["arrow"]))
    has_pose, has_start, has_end = ("pose" in table), ("start" in table), ("end" in table)
    if has_pose and (has_start or has_end):
        found.append(Fault("E313", "pose", "a figure has either `pose` (one frame) or `start` and `end`, not both"))
    elif has_start != has_end:
        missing = "end" if has_start else "start"
        found.append(Fault("E313", "start" if has_start else "end", f"the figure has no `{missing}`", KEYS[missing]))
    elif not (has_pose or has_start):
        found.append(Fault("E313", "figure", "the figure has no `pose`, nor `start` and `end`", KEYS["pose"]))
    for key in ("pose", "start", "end"):
        frame = table.get(key)
        if frame is None:
            continue
        if not isinstance(frame, Mapping):
            found.append(Fault("E312", key, f"`{key}` must be a table of joint = degrees", "such as { near_hip = 90 }"))
            continue
        for joint, degrees in frame.items():
            if joint == "rests_on":
                if not isinstance(degrees, list) or not all(isinstance(v, str) and v in PART_NAMES for v in degrees):
                    found.append(
                        Fault("E312", joint, "a frame's `rests_on` must be a list of body parts", KEYS["rests_on"])
                    )
            elif joint == "on":
                if degrees not in ("step", "bench", "chair", "foam_roller"):
                    found.append(
                        Fault("E312", joint, "a frame's `on` names a prop: step, bench, chair or foam_roller", ON)
                    )
            elif joint == "pitch":
                if not _is_number(degrees) or not -90 <= degrees <= 90:
                    found.append(Fault("E312", joint, "`pitch` must be a number of degrees from -90 to 90", PITCH))
            elif joint not in JOINTS:
                hint = _hint(joint, JOINTS) or "docs/figures.md lists the joints"
                found.append(Fault("E311", joint, f"`{joint}` is not a joint", hint))
            elif not _is_number(degrees):
                found.append(Fault("E312", joint, f"`{joint}` must be a number of degrees", None))
    return found


def read(table: Mapping) -> FigureSpec:
    """A `figure` table without faults, as a spec with every frame's angles in full."""
    base = BASES[table["base"]]
    props = []
    for item in table.get("props", []):
        name, _, part = item.partition("@")
        props.append((name, part or PROPS[name][0]))
    if "pose" in table:
        frames: tuple[dict[str, float], ...] = ({**base.defaults, **table["pose"]},)
    else:
        start = {**base.defaults, **table["start"]}
        frames = (start, {**start, **table["end"]})
    return FigureSpec(
        view=table.get("view", "side"),
        base=table["base"],
        props=tuple(props),
        frames=frames,
        tilt=float(table.get("tilt", 0)),
        facing=table.get("facing", "right"),
        rests_on=tuple(table.get("rests_on", ())),
        arrow=table.get("arrow", ""),
    )
