"""A posed scene as SVG line art: deterministic bytes, no text, viewBox fitted to the drawing.

Convention: the end position is drawn dark over a faint start position, one arrow along the
path of the part that moves most. Near-side limbs are dark, far-side ones a lighter tone of
the same grey; props are light grey and drawn where they touch the body.
"""

from __future__ import annotations

import math

from .model import Posed, Vec, add, expand, project
from .scene import Scene, build
from .spec import FigureSpec

SCALE = 200.0  # picture units per body height
INK = "#1f1f1f"
FAR = "#9a9a9a"
FAINT = "#d4d4d4"
PROP_LINE = "#8c8c8c"
PROP_FILL = "#f0f0f0"
ACCENT = "#c2410c"
BODY_WIDTH = 0.03
TRUNK_WIDTH = BODY_WIDTH * 1.6  # the line from pelvis to shoulders, thicker than a limb
HEAD_R = 0.058

_SEGMENTS = {
    "arm": (("shoulder", "elbow"), ("elbow", "wrist"), ("wrist", "hand")),
    "leg": (("hip", "knee"), ("knee", "ankle"), ("ankle", "heel"), ("heel", "toe"), ("toe", "ankle")),
}


class _Canvas:
    def __init__(self, view: str, tilt: float, mirror: bool):
        self.view, self.tilt, self.mirror = view, tilt, mirror
        self.items: list[str] = []
        self.xs: list[float] = []
        self.ys: list[float] = []

    def xy(self, point) -> tuple[float, float]:
        x, y, _ = project(point, self.view, self.tilt, self.mirror)
        return x * SCALE, -y * SCALE

    def _grow(self, x: float, y: float, pad: float = 0.0) -> None:
        self.xs += [x - pad, x + pad]
        self.ys += [y - pad, y + pad]

    def line(self, points, colour: str, width: float, fill: str = "none", close: bool = False) -> None:
        pts = [self.xy(p) for p in points]
        for x, y in pts:
            self._grow(x, y, width * SCALE / 2)
        d = " ".join(f"{'M' if i == 0 else 'L'}{_n(x)} {_n(y)}" for i, (x, y) in enumerate(pts)) + (
            " Z" if close else ""
        )
        self.items.append(
            f'<path d="{d}" fill="{fill}" stroke="{colour}" stroke-width="{_n(width * SCALE)}" '
            'stroke-linecap="round" stroke-linejoin="round"/>'
        )

    def curve(self, start, middle, end, colour: str, width: float) -> None:
        """A smooth line from `start` through `middle` to `end` (a quadratic Bezier curve)."""
        (ax, ay), (mx, my), (bx, by) = self.xy(start), self.xy(middle), self.xy(end)
        cx, cy = 2 * mx - (ax + bx) / 2, 2 * my - (ay + by) / 2  # the control point that puts `middle` on it
        for x, y in ((ax, ay), (mx, my), (bx, by)):
            self._grow(x, y, width * SCALE / 2)
        self.items.append(
            f'<path d="M{_n(ax)} {_n(ay)} Q{_n(cx)} {_n(cy)} {_n(bx)} {_n(by)}" fill="none" stroke="{colour}" '
            f'stroke-width="{_n(width * SCALE)}" stroke-linecap="round"/>'
        )

    def circle(self, centre, radius: float, colour: str, fill: str, width: float) -> None:
        x, y = self.xy(centre)
        self._grow(x, y, radius * SCALE + width * SCALE)
        self.items.append(
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(radius * SCALE)}" fill="{fill}" stroke="{colour}" '
            f'stroke-width="{_n(width * SCALE)}"/>'
        )

    def raw(self, item: str, points) -> None:
        for x, y in points:
            self._grow(x, y, 4)
        self.items.append(item)


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _body(canvas: _Canvas, frame: Posed, faint: bool) -> None:
    p = frame.points
    near = FAINT if faint else INK
    far = FAINT if faint else FAR
    w = BODY_WIDTH

    def limb(side: str, kind: str, colour: str) -> None:
        for a, b in _SEGMENTS[kind]:
            canvas.line([p[f"{side}_{a}"], p[f"{side}_{b}"]], colour, w)

    def depth(name: str) -> float:
        return project(p[name], canvas.view, canvas.tilt)[2]

    # far side first, then the trunk and head, then the near side; in a front or top view the
    # side nearer the eye is drawn last
    sides = ["far", "near"]
    if canvas.view != "side" and depth("far_hip") > depth("near_hip"):
        sides.reverse()
    limb(sides[0], "leg", far)
    limb(sides[0], "arm", far)
    canvas.line([p["near_hip"], p["far_hip"]], near, w)
    if frame.angles.get("back_curve"):
        canvas.curve(p["pelvis"], p["mid_back"], p["shoulders"], near, TRUNK_WIDTH)
    else:
        canvas.line([p["pelvis"], p["shoulders"]], near, TRUNK_WIDTH)
    canvas.line([p["near_shoulder"], p["far_shoulder"]], near, w)
    canvas.line([p["shoulders"], p["chin"]], near, w)
    canvas.circle(p["head"], HEAD_R, near, near if not faint else "#ffffff", w * 0.6)
    limb(sides[1], "leg", near)
    limb(sides[1], "arm", near)


def _floor(canvas: _Canvas, scene: Scene) -> None:
    if canvas.view == "above":
        return
    xs = [canvas.xy(point)[0] for frame in scene.frames for point in frame.points.values()]
    left, right = min(xs) / SCALE - 0.12, max(xs) / SCALE + 0.12
    if canvas.view == "side" and canvas.tilt:
        # seen from above at an angle, the floor is drawn as one line under the lowest part
        y = max(canvas.xy(point)[1] for frame in scene.frames for point in frame.points.values()) + 0.03 * SCALE
        canvas.raw(
            f'<path d="M{_n(left * SCALE)} {_n(y)} L{_n(right * SCALE)} {_n(y)}" stroke="#555555" stroke-width="1.6" fill="none"/>',
            [(left * SCALE, y), (right * SCALE, y)],
        )
        return
    canvas.raw(
        f'<path d="M{_n(left * SCALE)} 0.0 L{_n(right * SCALE)} 0.0" stroke="#555555" stroke-width="1.6" fill="none"/>',
        [(left * SCALE, 0.0), (right * SCALE, 0.0)],
    )


def _back_props(canvas: _Canvas, scene: Scene) -> None:
    frame = scene.frames[0]
    all_points = [p for f in scene.frames for p in f.points.values()]
    for prop in scene.props:
        w = 0.012
        if prop.kind == "mat":
            xs = [p[0] for p in all_points]
            zs = [p[2] for p in all_points]
            x0, x1 = min(xs) - 0.06, max(xs) + 0.06
            z0, z1 = min(zs) - 0.08, max(zs) + 0.08
            if canvas.view == "side" and canvas.tilt:
                ys = [canvas.xy(p)[1] for p in all_points]
                xs2 = [canvas.xy(p)[0] for p in all_points]
                y = max(ys) + 0.03 * SCALE
                canvas.raw(
                    f'<path d="M{_n(min(xs2) - 10)} {_n(y)} L{_n(max(xs2) + 10)} {_n(y)}" stroke="{PROP_LINE}" '
                    f'stroke-width="{_n(0.018 * SCALE)}" stroke-linecap="round" fill="none"/>',
                    [(min(xs2) - 10, y), (max(xs2) + 10, y)],
                )
            elif canvas.view == "side":
                canvas.line([(x0, -0.012, 0), (x1, -0.012, 0)], PROP_LINE, 0.018)
            elif canvas.view == "front":
                canvas.line([(0, -0.012, z0), (0, -0.012, z1)], PROP_LINE, 0.018)
            else:
                # seen from above: the mat's outline, kept pale so the body stands out on it
                canvas.line([(x0, 0, z0), (x1, 0, z0), (x1, 0, z1), (x0, 0, z1)], "#c8c8c8", 0.008, "#f8f8f8", True)
        elif prop.kind in ("chair", "bench", "step") and prop.anchor:
            x, top, z = prop.anchor
            depth = 0.2 if prop.kind != "bench" else 0.4
            front, back = x + 0.08, x - depth + 0.08
            if prop.kind == "step":
                front, back = x + 0.12, x - 0.12
                canvas.line(
                    [(back, 0, z), (back, top, z), (front, top, z), (front, 0, z)], PROP_LINE, w, PROP_FILL, True
                )
                continue
            canvas.line([(back, top, z), (front, top, z)], PROP_LINE, 0.022)
            canvas.line([(front - 0.01, top, z), (front - 0.01, 0, z)], PROP_LINE, w)
            canvas.line([(back + 0.01, top, z), (back + 0.01, 0, z)], PROP_LINE, w)
            if prop.kind == "chair":
                canvas.line([(back, top, z), (back - 0.03, top + 0.26, z)], PROP_LINE, 0.02)
        elif prop.kind == "wall" and prop.anchor:
            x, _, z = prop.anchor
            tops = max(p[1] for p in all_points) + 0.08
            offset = 0.02 if x >= frame.points["pelvis"][0] else -0.02
            canvas.line([(x + offset, 0, z), (x + offset, tops, z)], PROP_LINE, 0.02)
        elif prop.kind == "foam_roller" and prop.anchor:
            x, top, z = prop.anchor
            r = top / 2
            canvas.circle((x, r, z), r - 0.005, PROP_LINE, PROP_FILL, w)


def _front_props(canvas: _Canvas, scene: Scene, frame: Posed, faint: bool) -> None:
    colour = FAINT if faint else PROP_LINE
    for prop in scene.props:
        parts = expand([prop.part]) if prop.part else ()
        if prop.kind == "resistance_band" and prop.anchor:
            target = [frame.points[name] for name in parts]
            for point in target:
                canvas.line([prop.anchor, point], colour, 0.012)
            if not faint:
                canvas.circle(prop.anchor, 0.015, PROP_LINE, PROP_FILL, 0.01)
        elif prop.kind == "mini_band" and len(parts) == 2:
            a, b = (frame.points[name] for name in parts)
            canvas.line([a, b], colour, 0.07)
            canvas.line([a, b], "#ffffff", 0.035)
        elif prop.kind == "dumbbell":
            for name in parts:
                centre = frame.points[name.replace("hand", "wrist")] if "hand" in name else frame.points[name]
                hand = frame.points[name]
                centre = ((centre[0] + hand[0]) / 2, (centre[1] + hand[1]) / 2, (centre[2] + hand[2]) / 2)
                canvas.line(
                    [(centre[0], centre[1], centre[2] - 0.07), (centre[0], centre[1], centre[2] + 0.07)], colour, 0.02
                )
                x, y = canvas.xy(centre)
                canvas.raw(
                    f'<rect x="{_n(x - 9)}" y="{_n(y - 9)}" width="18.0" height="18.0" rx="3.0" fill="{PROP_FILL if not faint else "#ffffff"}" stroke="{colour}" stroke-width="2.4"/>',
                    [(x - 9, y - 9), (x + 9, y + 9)],
                )
        elif prop.kind == "ball":
            held = [frame.points[name] for name in parts]
            n = len(held)
            ball = (sum(p[0] for p in held) / n, sum(p[1] for p in held) / n, sum(p[2] for p in held) / n)
            canvas.circle(ball, 0.035, colour, PROP_FILL if not faint else "#ffffff", 0.01)
        elif prop.kind == "towel":
            loop = frame.points[parts[-1]] if parts else frame.points["near_toe"]
            for end in ("near_hand", "far_hand"):
                canvas.line([frame.points[end], loop], colour, 0.016)
        elif prop.kind == "wand":
            a, b = frame.points["near_hand"], frame.points["far_hand"]
            dx, dy, dz = (b[0] - a[0], b[1] - a[1], b[2] - a[2])
            length = math.sqrt(dx * dx + dy * dy + dz * dz) or 1.0
            out = 0.08 / length
            (sx, sy), (ex, ey) = canvas.xy(a), canvas.xy(b)
            if math.hypot(ex - sx, ey - sy) < 6:  # seen end on: a round end
                canvas.circle(a, 0.022, colour, PROP_FILL if not faint else "#ffffff", 0.012)
                continue
            canvas.line(
                [
                    (a[0] - dx * out, a[1] - dy * out, a[2] - dz * out),
                    (b[0] + dx * out, b[1] + dy * out, b[2] + dz * out),
                ],
                colour,
                0.016,
            )


_MOVERS = (
    "near_hand",
    "far_hand",
    "near_toe",
    "far_toe",
    "near_knee",
    "far_knee",
    "near_elbow",
    "far_elbow",
    "head",
    "pelvis",
)


def _arrow(canvas: _Canvas, scene: Scene) -> None:
    if len(scene.frames) < 2 or scene.spec.arrow == "none":
        return
    start, end = scene.frames
    if scene.spec.arrow:
        names = expand([scene.spec.arrow])
        name = names[0]
    else:

        def moved(part: str) -> float:
            (ax, ay), (bx, by) = canvas.xy(start.points[part]), canvas.xy(end.points[part])
            return math.hypot(bx - ax, by - ay)

        name = max(_MOVERS, key=moved)
    (ax, ay), (bx, by) = canvas.xy(start.points[name]), canvas.xy(end.points[name])
    chord = math.hypot(bx - ax, by - ay)
    turn = _head_turn(scene)
    if turn is not None and (name == "head" or (not scene.spec.arrow and chord < _SMALL_MOVE)):
        _turn_arrow(canvas, scene, *turn)
        return
    if chord < 2:
        return
    if name == "mid_back":  # it moves across the back's own line: an arrow beside it would cross the back
        _arrow_beyond(canvas, (bx, by), ((bx - ax) / chord, (by - ay) / chord))
        return
    if chord < _SMALL_MOVE:  # a straight arrow beside the part, long enough to see
        _short_arrow(canvas, (ax, ay), (bx, by), chord, canvas.xy(end.points["pelvis"]))
        return
    # bow the arrow away from the body's middle, and set it off the limb
    cx, cy = canvas.xy(end.points["pelvis"])
    mx, my = (ax + bx) / 2, (ay + by) / 2
    nx, ny = -(by - ay) / chord, (bx - ax) / chord
    if (mx - cx) * nx + (my - cy) * ny < 0:
        nx, ny = -nx, -ny
    gap = 14.0
    ax, ay, bx, by = ax + nx * gap, ay + ny * gap, bx + nx * gap, by + ny * gap
    qx, qy = mx + nx * (gap + chord * 0.3), my + ny * (gap + chord * 0.3)
    # stop short of the end so the head sits on it
    tx, ty = bx - qx, by - qy
    tl = math.hypot(tx, ty) or 1.0
    tx, ty = tx / tl, ty / tl
    head = 10.0
    ex, ey = bx - tx * head * 0.6, by - ty * head * 0.6
    canvas.raw(
        f'<path d="M{_n(ax)} {_n(ay)} Q{_n(qx)} {_n(qy)} {_n(ex)} {_n(ey)}" fill="none" stroke="{ACCENT}" '
        'stroke-width="3.0" stroke-linecap="round"/>',
        [(ax, ay), (qx, qy), (bx, by)],
    )
    _head(canvas, (bx, by), (tx, ty), head)


_SMALL_MOVE = 24.0  # picture units: a movement shorter than this gets a short, straight arrow

# A turn of the head barely changes its outline (a circle, no face), so it gets an arc: the
# path of a point in front of the face, on a circle around the neck's axis just above the head.
_TURN_SMALLEST = 15.0  # degrees of neck_turn; a smaller turn goes with a movement that gets the arrow
_ARC_RADIUS = 0.15  # of the body's height
_ARC_ABOVE = HEAD_R + 0.085  # the circle's centre, above the head's centre along the neck
_ARC_OPEN = 0.45  # how far the circle is opened towards the eye: its height over its width


def _head_turn(scene: Scene) -> tuple[float, float] | None:
    """The neck_turn of the start and end frames, when the figure turns the head by
    _TURN_SMALLEST or more. The arrow shows the turn when it names the head, or when it is
    left to follow the part that moves most and nothing else moves far (`_arrow`)."""
    before, after = (float(frame.get("neck_turn", 0.0)) for frame in (scene.spec.frames[0], scene.spec.frames[-1]))
    return (before, after) if abs(after - before) >= _TURN_SMALLEST else None


def _unit(v: Vec) -> Vec:
    length = math.sqrt(sum(c * c for c in v)) or 1.0
    return (v[0] / length, v[1] / length, v[2] / length)


def _cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _turn_arrow(canvas: _Canvas, scene: Scene, before: float, after: float) -> None:
    """The arc of a head turning from `before` to `after` degrees of neck_turn.

    The circle lies square to the neck. Seen with the neck across the picture, as in a
    front or side view, it is edge-on, a line; so it is opened towards the eye, its nearer
    half drawn nearer the shoulders (as if seen from a little above the head), which makes
    the familiar curved arrow of a turn."""
    p = scene.frames[-1].points
    axis = _unit(add(p["chin"], p["shoulders"], -1.0))  # the neck
    across = _unit(add(p["near_shoulder"], p["far_shoulder"], -1.0))
    ahead = _unit(_cross(axis, across))  # where the face looks with no turn
    near_side = _cross(ahead, axis)  # where a positive neck_turn takes it
    centre = add(p["head"], axis, _ARC_ABOVE)
    (cx, cy), (tx, ty) = canvas.xy(centre), canvas.xy(add(centre, axis, 1.0))
    length = math.hypot(tx - cx, ty - cy)  # the neck as it lies in the picture: the arc opens along it
    ux, uy = ((tx - cx) / length, (ty - cy) / length) if length > 0.2 * SCALE else (0.0, 0.0)
    eye = project(centre, canvas.view, canvas.tilt)[2]

    def at(degrees: float) -> tuple[float, float]:
        turn = math.radians(degrees)
        point = add(add(centre, ahead, _ARC_RADIUS * math.cos(turn)), near_side, _ARC_RADIUS * math.sin(turn))
        x, y = canvas.xy(point)
        nearer = (project(point, canvas.view, canvas.tilt)[2] - eye) * SCALE * _ARC_OPEN
        return x - ux * nearer, y - uy * nearer

    steps = 16
    points = [at(before + (after - before) * k / steps) for k in range(steps + 1)]
    (ax, ay), (bx, by) = points[-2], points[-1]
    step = math.hypot(bx - ax, by - ay) or 1.0
    dx, dy = (bx - ax) / step, (by - ay) / step
    size = 10.0
    stop = (bx - dx * size * 0.6, by - dy * size * 0.6)  # the line ends under the arrowhead
    shaft = [*(q for q in points if math.hypot(bx - q[0], by - q[1]) > size * 0.6), stop]
    canvas.raw(
        f'<path d="M{" L".join(f"{_n(x)} {_n(y)}" for x, y in shaft)}" fill="none" stroke="{ACCENT}" '
        'stroke-width="3.0" stroke-linecap="round" stroke-linejoin="round"/>',
        points,
    )
    _head(canvas, (bx, by), (dx, dy), size)


def _head(canvas: _Canvas, tip: tuple[float, float], direction: tuple[float, float], size: float = 10.0) -> None:
    (bx, by), (tx, ty) = tip, direction
    px, py = -ty, tx
    points = [
        (bx + tx * 2, by + ty * 2),
        (bx - tx * size + px * size * 0.6, by - ty * size + py * size * 0.6),
        (bx - tx * size - px * size * 0.6, by - ty * size - py * size * 0.6),
    ]
    d = "M" + " L".join(f"{_n(x)} {_n(y)}" for x, y in points) + " Z"
    canvas.raw(f'<path d="{d}" fill="{ACCENT}" stroke="none"/>', points)


def _short_arrow(canvas: _Canvas, start, end, chord: float, middle) -> None:
    (ax, ay), (bx, by) = start, end
    tx, ty = (bx - ax) / chord, (by - ay) / chord
    # set it off to the side away from the body's middle
    nx, ny = -ty, tx
    if ((ax + bx) / 2 - middle[0]) * nx + ((ay + by) / 2 - middle[1]) * ny < 0:
        nx, ny = -nx, -ny
    cx, cy = (ax + bx) / 2 + nx * 16, (ay + by) / 2 + ny * 16
    half = 14.0
    _straight_arrow(canvas, (cx - tx * half, cy - ty * half), (cx + tx * half, cy + ty * half), (tx, ty))


def _arrow_beyond(canvas: _Canvas, end, direction) -> None:
    """A straight arrow clear of the back: it starts just past where the part ends up and
    points on the way it went, or, when that would be under the floor (a back pressed into
    the mat), it leads up to that place from the side it came from."""
    (bx, by), (tx, ty) = end, direction
    gap = TRUNK_WIDTH * SCALE / 2 + 4  # clear of the back's stroke
    length = 26.0
    sx, sy = bx + tx * gap, by + ty * gap
    if sy + ty * length > 0:  # picture y grows downwards; the floor is at 0
        sx, sy = bx - tx * (gap + length), by - ty * (gap + length)
    _straight_arrow(canvas, (sx, sy), (sx + tx * length, sy + ty * length), (tx, ty))


def _straight_arrow(canvas: _Canvas, start, end, direction) -> None:
    """A straight shaft from `start` that stops short of `end`, where its head sits."""
    (sx, sy), (ex, ey), (tx, ty) = start, end, direction
    canvas.raw(
        f'<path d="M{_n(sx)} {_n(sy)} L{_n(ex - tx * 6)} {_n(ey - ty * 6)}" fill="none" stroke="{ACCENT}" '
        'stroke-width="3.0" stroke-linecap="round"/>',
        [(sx, sy), (ex, ey)],
    )
    _head(canvas, (ex, ey), (tx, ty))


def render(spec: FigureSpec) -> bytes:
    """The figure as SVG bytes; the same spec gives the same bytes."""
    from .model import BASES

    scene = build(spec)
    mirror = BASES[spec.base].mirror != (spec.facing == "left")
    canvas = _Canvas(spec.view, spec.tilt if spec.view == "side" else 0.0, mirror)
    _floor(canvas, scene)
    _back_props(canvas, scene)
    if len(scene.frames) == 2:
        _body(canvas, scene.frames[0], faint=True)
        _front_props(canvas, scene, scene.frames[0], faint=True)
    _body(canvas, scene.frames[-1], faint=False)
    _front_props(canvas, scene, scene.frames[-1], faint=False)
    _arrow(canvas, scene)
    margin = 8.0
    x0, x1 = min(canvas.xs) - margin, max(canvas.xs) + margin
    y0, y1 = min(canvas.ys) - margin, max(canvas.ys) + margin
    width, height = x1 - x0, y1 - y0
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{_n(x0)} {_n(y0)} {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}">'
    )
    return ("\n".join([head, *canvas.items, "</svg>"]) + "\n").encode("utf-8")
