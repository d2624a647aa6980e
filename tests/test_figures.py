"""Exercise figures: the body model, the pose checks, the SVG bytes, the `figure` field's
diagnostics, and the figure commands (docs/figures.md)."""

from __future__ import annotations

import math
import re
import textwrap

import pytest
from click.testing import CliRunner
from support import ROOT

from progdsl.cli import main
from progdsl.figures import faults, problems, read, render
from progdsl.figures.model import BASES, FOOT, HIP_WIDTH, JOINTS, SHIN, THIGH, pose
from progdsl.registry import builtin_registry

WITH_FIGURE = sorted(e.id for e in builtin_registry() if e.figure is not None)
WITHOUT_FIGURE = sorted(e.id for e in builtin_registry() if e.figure is None)


# ---- every built-in figure -----------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", WITH_FIGURE)
def test_a_built_in_pose_passes_the_checks_and_draws_the_same_bytes_twice(exercise_id):
    figure = builtin_registry().get(exercise_id).figure
    assert faults(figure) == [], exercise_id
    assert problems(read(figure)) == [], exercise_id
    first, second = render(read(figure)), render(read(figure))
    assert first == second
    assert first.startswith(b"<svg ") and b"<text" not in first


def test_every_built_in_exercise_has_a_figure():
    assert WITHOUT_FIGURE == []


def test_the_phase_one_figures_cover_every_base_view_and_prop():
    from progdsl.figures.spec import PROPS

    figures = [read(builtin_registry().get(id).figure) for id in WITH_FIGURE]
    assert {f.base for f in figures} == set(BASES)
    assert {f.view for f in figures} == {"side", "front", "above"}
    used = {kind for f in figures for kind, _ in f.props}
    assert used >= set(PROPS) - {"towel"}  # no built-in towel stretch is drawn yet


# ---- the body model ------------------------------------------------------------------------------


def _length(a, b) -> float:
    return sum((a[i] - b[i]) ** 2 for i in range(3)) ** 0.5


@pytest.mark.parametrize("base", sorted(BASES))
def test_segment_lengths_do_not_change_with_the_pose(base):
    angles = {"near_hip": 70, "near_knee": 100, "far_hip_abd": 30, "near_ankle": -30, "near_hip_rot": 40}
    for frame in (pose(BASES[base], {}), pose(BASES[base], angles)):
        p = frame.points
        assert _length(p["near_hip"], p["near_knee"]) == pytest.approx(THIGH)
        assert _length(p["near_knee"], p["near_ankle"]) == pytest.approx(SHIN)
        assert _length(p["near_hip"], p["far_hip"]) == pytest.approx(HIP_WIDTH)
        assert _length(p["near_heel"], p["near_toe"]) == pytest.approx(FOOT)


def test_standing_the_feet_are_on_the_floor_and_the_hips_at_their_height():
    p = pose(BASES["standing"], {}).points
    assert min(p["near_heel"][1], p["near_toe"][1]) == pytest.approx(0)
    assert p["pelvis"][1] == pytest.approx(0.530, abs=0.01)
    assert p["shoulders"][1] == pytest.approx(0.818, abs=0.01)


def test_flexion_moves_a_limb_forward_and_a_knee_bends_backwards():
    p = pose(BASES["standing"], {"near_shoulder": 90, "near_hip": 90, "near_knee": 90}).points
    assert p["near_elbow"][0] > p["near_shoulder"][0] + 0.15  # the arm points forward
    assert p["near_knee"][0] > p["near_hip"][0] + 0.2  # the thigh points forward
    assert p["near_ankle"][1] < p["near_knee"][1] - 0.2  # the shin hangs down from the knee


def test_rounding_the_back_pushes_its_middle_out_behind_and_hollowing_lets_it_in():
    """On hands and knees the back is above the belly: rounded (the cat), its middle rises
    above the line from pelvis to shoulders; hollowed, it dips below it."""

    def off_the_line(curve: float) -> float:
        p = pose(BASES["four_point_kneeling"], {"back_curve": curve}).points
        return p["mid_back"][1] - (p["pelvis"][1] + p["shoulders"][1]) / 2

    assert off_the_line(0) == pytest.approx(0, abs=1e-9)
    assert off_the_line(70) > 0.03 and off_the_line(-25) < -0.01
    flat, round = (pose(BASES["four_point_kneeling"], {"back_curve": c}).points for c in (0, 70))
    assert _length(flat["pelvis"], flat["shoulders"]) == pytest.approx(_length(round["pelvis"], round["shoulders"]))


def test_hiking_the_pelvis_lifts_the_near_hip_and_leg_and_leaves_the_trunk():
    level = pose(BASES["standing"], {}).points
    hiked = pose(BASES["standing"], {"pelvis_hike": 10, "far_hip_abd": 10, "near_hip_abd": -10}, ("far_foot",)).points
    assert hiked["near_hip"][1] - hiked["far_hip"][1] == pytest.approx(HIP_WIDTH * math.sin(math.radians(10)))
    assert hiked["near_ankle"][1] > hiked["far_ankle"][1] + 0.02  # the free foot comes up off the floor
    for side in ("near", "far"):  # each leg, its abduction taken back, still hangs straight down
        assert hiked[f"{side}_ankle"][2] == pytest.approx(hiked[f"{side}_hip"][2])
    assert hiked["shoulders"][2] == pytest.approx(level["shoulders"][2])  # the trunk stays upright
    assert hiked["shoulders"][0] == pytest.approx(hiked["pelvis"][0])


# ---- the pose checks -----------------------------------------------------------------------------


def _problems(**table) -> list[str]:
    return problems(read(table))


def test_a_knee_or_elbow_past_straight_is_a_problem_naming_the_joint():
    found = _problems(base="standing", pose={"near_knee": -15})
    assert found and "near_knee" in found[0]
    assert any("far_elbow" in p for p in _problems(base="standing", pose={"far_elbow": -10}))


def test_a_range_beyond_the_norms_is_a_problem():
    assert any("near_hip" in p for p in _problems(base="standing", pose={"near_hip": 150}))
    assert all(JOINTS[name].low <= 0 <= JOINTS[name].high for name in JOINTS)


def test_a_part_below_the_floor_is_a_problem():
    found = _problems(base="lying_on_back", pose={"near_hip": -30})  # a leg through the floor
    assert any("below the floor" in p and "near_" in p for p in found)


def test_a_prop_the_body_does_not_touch_is_a_problem():
    assert any("chair" in p for p in _problems(base="standing", props=["chair"], pose={}))
    moving = {"near_shoulder": 90, "near_elbow": 90}
    assert any(
        "wall" in p for p in _problems(base="standing", props=["wall@hands"], start=moving, end={"near_shoulder": 170})
    )
    assert _problems(base="sitting", props=["chair"], pose={}) == []


def test_the_figure_of_every_entry_is_checked_by_a_test_that_names_the_exercise():
    # the parametrised test above carries the exercise id; a failing pose shows it
    assert WITH_FIGURE and all(re.fullmatch(r"[a-z0-9_]+", id) for id in WITH_FIGURE)


# ---- the SVG -------------------------------------------------------------------------------------


def test_the_svg_has_a_fitted_viewbox_a_faint_start_and_an_arrow():
    svg = render(read({"base": "standing", "start": {}, "end": {"near_shoulder": 150}})).decode()
    assert re.search(r'viewBox="-?[\d.]+ -?[\d.]+ [\d.]+ [\d.]+"', svg)
    assert "#d4d4d4" in svg  # the start pose, faint
    assert "#c2410c" in svg  # the arrow
    held = render(read({"base": "standing", "pose": {}})).decode()
    assert "#c2410c" not in held and "#d4d4d4" not in held


def _arrow_path(svg: str) -> str:
    """The path of the arrow's line, as its `d` attribute gives it."""
    found = re.search(r'<path d="(M[^"]+)" fill="none" stroke="#c2410c"', svg)
    assert found, "no arrow"
    return found[1]


def _shaft(svg: str) -> list[tuple[float, float]]:
    """The points of the arrow's line, when it is made of straight pieces."""
    return [(float(x), float(y)) for x, y in (pair.split() for pair in _arrow_path(svg)[1:].split(" L"))]


def test_a_head_turn_is_an_arc_above_the_head_to_the_side_it_turns():
    """The head is a circle with no face, so a turn moves nothing the eye can follow: its
    arrow is a curve just above the head, from the middle to the side the face turns to."""
    ends = []
    for turn in (70, -70):
        svg = render(read({"view": "front", "base": "sitting", "start": {}, "end": {"neck_turn": turn}})).decode()
        head = re.search(r'<circle cx="([-\d.]+)" cy="([-\d.]+)" r="([\d.]+)" fill="#1f1f1f"', svg)
        assert head
        x, y, r = map(float, head.groups())
        points = _shaft(svg)
        assert all(py < y - r for _, py in points)  # above the head, clear of it
        assert abs(points[0][0] - x) < 3  # from the middle
        (x0, y0), (x1, y1), (xm, ym) = points[0], points[-1], points[len(points) // 2]
        bend = abs((x1 - x0) * (ym - y0) - (y1 - y0) * (xm - x0)) / math.hypot(x1 - x0, y1 - y0)
        assert bend > 0.4  # a curve (the front of a circle seen from a little above), not a line
        ends.append(x1 - x)
    assert ends[0] * ends[1] < 0 and min(map(abs, ends)) > 10  # well out to one side, then the other


def test_a_head_turn_leaves_the_arrow_to_a_part_that_moves_far_or_is_named():
    def arrow(figure: dict) -> str:
        return _arrow_path(render(read(figure)).decode())

    turning = {"view": "front", "base": "sitting", "start": {}}
    assert arrow({**turning, "end": {"neck_turn": 40}}).count(" L") > 8  # the arc
    lifting = {**turning, "end": {"neck_turn": 40, "near_shoulder_abd": 150}}
    assert "Q" in arrow(lifting)  # the arm's bow: it moves far
    nudging = {**turning, "end": {"neck_turn": 40, "near_shoulder_abd": 10}, "arrow": "near_hand"}
    assert arrow(nudging).count(" L") == 1  # the short arrow beside the named hand


def test_a_curved_back_is_drawn_as_a_curve_with_its_arrow_clear_of_it():
    def backs(svg: str) -> list[str]:
        """The `d` of each dark trunk stroke (the widest line drawn)."""
        return re.findall(r'<path d="([^"]+)" fill="none" stroke="#1f1f1f" stroke-width="9.6"', svg)

    flat = render(read({"base": "four_point_kneeling", "pose": {}})).decode()
    assert len(backs(flat)) == 1 and " L" in backs(flat)[0]  # a straight line
    cat = render(
        read(
            {
                "base": "four_point_kneeling",
                "start": {"back_curve": -25},
                "end": {"back_curve": 70},
                "arrow": "mid_back",
            }
        )
    ).decode()
    (back,) = backs(cat)
    ay, cy, by = (
        float(v) for v in re.fullmatch(r"M[-\d.]+ ([-\d.]+) Q[-\d.]+ ([-\d.]+) [-\d.]+ ([-\d.]+)", back).groups()
    )
    top = (ay + 2 * cy + by) / 4  # the curve's middle; picture y grows downwards
    assert top < min(ay, by) - 5  # rounded upwards
    shaft = _shaft(cat)
    assert all(y < top - 4.8 for _, y in shaft) and shaft[-1][1] < shaft[0][1]  # above the back, pointing up
    pressed = render(
        read({"base": "lying_on_back", "start": {"back_curve": -30}, "end": {"back_curve": 0}, "arrow": "mid_back"})
    ).decode()
    shaft = _shaft(pressed)
    assert all(y < -5 for _, y in shaft) and shaft[-1][1] > shaft[0][1]  # above the floor, pointing down


def test_far_limbs_are_lighter_than_near_ones():
    svg = render(read({"base": "standing", "pose": {"near_shoulder": 40}})).decode()
    assert "#1f1f1f" in svg and "#9a9a9a" in svg


# ---- the figure field in a registry file ---------------------------------------------------------

ENTRY = """\
[wall_angel]
name = "Wall angel"
category = "mobility"
dose = ["reps"]
one_sided = false
instructions = ["Stand with your back to a wall and slide your arms up it."]

[wall_angel.figure]
"""


def _codes(tmp_path, figure: str) -> list[tuple[str, int, int]]:
    from progdsl.registry_schema import check_file

    path = tmp_path / "clinic.toml"
    path.write_text(ENTRY + textwrap.dedent(figure), encoding="utf-8")
    _, diagnostics = check_file(path)
    return [(d.code, d.span.line, d.span.col) for d in diagnostics]


def test_a_good_clinic_figure_checks_clean(tmp_path):
    assert _codes(tmp_path, 'base = "standing"\nstart = { near_shoulder = 90 }\nend = { near_shoulder = 170 }\n') == []


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        ('base = "standing"\npose = { near_elbw = 20 }\n', ("E311", 10, 10)),
        ('base = "standing"\ncolour = "red"\npose = {}\n', ("E311", 10, 1)),
        ('base = "standin"\npose = {}\n', ("E312", 9, 9)),
        ('base = "standing"\nprops = ["rope"]\npose = {}\n', ("E312", 10, 11)),
        ('base = "standing"\nview = 3\npose = {}\n', ("E312", 10, 1)),
        ('base = "standing"\nstart = {}\n', ("E313", 10, 1)),
        ("pose = {}\n", ("E313", 8, 1)),
        ('base = "standing"\npose = { near_hip = inf }\n', ("E312", 10, 10)),
        ('base = "standing"\npose = { on = "table" }\n', ("E312", 10, 10)),
        ('base = "standing"\npose = { near_knee = -20 }\n', ("E314", 8, 1)),
    ],
)
def test_a_fault_in_a_figure_is_reported_at_its_line(tmp_path, figure, expected):
    assert _codes(tmp_path, figure) == [expected]


def test_a_clinic_image_outside_its_folder_is_refused(tmp_path):
    from progdsl.registry_schema import check_file

    (tmp_path / "inner").mkdir()
    (tmp_path / "outside.png").write_bytes(b"\x89PNG\r\n")
    path = tmp_path / "inner" / "clinic.toml"
    path.write_text(ENTRY.replace("[wall_angel.figure]\n", 'image = "../outside.png"\n'), encoding="utf-8")
    _, diagnostics = check_file(path)
    assert [d.code for d in diagnostics] == ["E307"]


# ---- the commands --------------------------------------------------------------------------------


def test_exercise_figure_writes_one_svg_and_the_same_bytes_each_time(tmp_path):
    runner = CliRunner()
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    for path in (first, second):
        result = runner.invoke(main, ["exercise", "clam", "--figure", str(path)])
        assert result.exit_code == 0, result.output
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes().startswith(b"<svg ")


def test_exercise_says_how_to_draw_its_figure():
    result = CliRunner().invoke(main, ["exercise", "plank"])
    assert result.exit_code == 0 and "--figure plank.svg" in result.output


def test_exercise_figure_without_pose_data_says_so(tmp_path):
    """Every built-in exercise has a figure; a clinic's entry need not."""
    from progdsl.starter import STARTER

    example = (STARTER / "registry.toml").read_text(encoding="utf-8").split("to copy and edit:\n", 1)[1]
    registry = tmp_path / "clinic.toml"  # the starter's commented entry, without its comment marks
    registry.write_text("\n".join(line[2:] for line in example.splitlines()) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["exercise", "sit_to_stand_low_chair", "--registry", str(registry), "--figure", str(tmp_path / "x.svg")]
    )
    assert result.exit_code == 1
    assert "no pose data" in result.output and not (tmp_path / "x.svg").exists()


def test_figures_writes_every_figure_and_a_contact_sheet(tmp_path):
    result = CliRunner().invoke(
        main, ["figures", "-o", str(tmp_path / "out"), "--contact-sheet", str(tmp_path / "s.pdf")]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.stem for p in (tmp_path / "out").glob("*.svg")) == WITH_FIGURE
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")


def test_the_contact_sheet_names_every_figure_under_it():
    from progdsl.figures.sheet import sheet_html

    page = sheet_html([("clam_shell", b"<svg/>"), ("plank", b"<svg/>")])
    assert page.index("clam_shell") < page.index("plank") and page.count("<figcaption>") == 2


def test_docs_figures_md_names_every_joint_base_and_prop():
    from progdsl.figures.spec import PROPS

    text = (ROOT / "docs" / "figures.md").read_text(encoding="utf-8")
    for word in [*JOINTS, *BASES, *PROPS]:
        assert f"`{word}`" in text, word


def test_a_figure_into_a_missing_folder_is_a_message_not_a_traceback(tmp_path):
    result = CliRunner().invoke(main, ["exercise", "plank", "--figure", str(tmp_path / "no" / "plank.svg")])
    assert result.exit_code == 1 and "the folder does not exist" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_contact_sheet_that_cannot_be_written_leaves_no_figures_behind(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["figures", "-o", str(out), "--contact-sheet", str(tmp_path / "no" / "s.pdf")])
    assert result.exit_code == 1 and "the folder does not exist" in result.output
    assert not out.exists()
