"""Checks on the exercise registry data shipped in progdsl/data/exercises/*.toml.

These tests read the TOML files directly, so they guard the data itself: the schema, the
vocabularies (taken from progdsl.vocabulary, the one list the code uses too), the dose ranges, the
progression links, the regions and their stop signs, and the ids, aliases, dose forms and
one-sidedness that REGISTRY.md requires.
"""

import re
import tomllib
from pathlib import Path

import pytest

from progdsl.vocabulary import EQUIPMENT, Balance, Category, Position, Region

DATA_DIR = Path(__file__).parent.parent / "progdsl" / "data" / "exercises"
REGIONS_FILE = DATA_DIR.parent / "regions.toml"

SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")

CATEGORIES = {category.value for category in Category}
DOSE_FORMS = {"reps", "hold", "duration"}
STAGES = {1, 2, 3}
REGIONS = {region.value for region in Region}
POSITIONS = {position.value for position in Position}

# field -> expected type(s)
FIELDS = {
    "name": str,
    "aliases": list,
    "category": str,
    "dose": list,
    "one_sided": bool,
    "equipment": list,
    "targets": list,
    "stage": int,
    "instructions": list,
    "cautions": list,
    "easier": list,
    "harder": list,
    "safe": dict,
    "recommended": dict,
    "regions": list,
    "position": str,
}
# The flags the safety rules read: optional, false or "none" when left out.
FLAGS = {
    "impact": bool,
    "loaded_spinal_flexion": bool,
    "breath_hold_risk": bool,
    "balance": str,
    "eyes_closed": bool,
    "quick_position_change": bool,
    "figure": dict,  # pose data, checked by tests/test_figures.py
}
RANGE_FOR_DOSE = {"reps": "reps", "hold": "hold_s", "duration": "duration_min"}
ALWAYS_RANGES = {"sets", "rest_s"}
OPTIONAL_RANGES = {"hold_per_rep_s"}

# --- REGISTRY.md, hard-coded -------------------------------------------------------------------

# id -> aliases that must resolve to it
REQUIRED = {
    "clam_shell": ["clam", "side_lying_clam"],
    "figure_four_stretch": ["seated_glute_stretch"],
    "glute_bridge": ["bridge"],
    "single_leg_bridge": [],
    "dead_bug": [],
    "side_lying_leg_raise": ["lateral_leg_raise", "side_lying_hip_abduction"],
    "glute_foam_roll": ["glute_release"],
    "hip_thrust": [],
    "squat": ["bodyweight_squat"],
    "lunge": [],
    "deadlift": [],
    "bird_dog": [],
    "plank": ["front_plank"],
    "side_plank": [],
    "back_extension": ["prone_back_extension"],
    "childs_pose": [],
    "hamstring_stretch": [],
    "hip_flexor_stretch": ["kneeling_hip_flexor_stretch"],
    "piriformis_stretch": [],
    "knee_to_chest_stretch": [],
    "cat_camel": ["cat_cow"],
    "pelvic_tilt": [],
    "abdominal_bracing": ["core_bracing"],
    "monster_walk": ["banded_lateral_walk"],
    "walking": ["walk"],
    "swimming": [],
    "running": [],
}

# The dose forms REGISTRY.md states (cat_camel's is not stated there, so it is not pinned here).
REQUIRED_DOSE = {
    "clam_shell": {"reps"},
    "glute_bridge": {"reps", "hold"},
    "bird_dog": {"reps"},
    "plank": {"hold"},
    "side_plank": {"hold"},
    "hip_thrust": {"reps"},
    "squat": {"reps"},
    "lunge": {"reps"},
    "deadlift": {"reps"},
    "back_extension": {"reps"},
    "pelvic_tilt": {"reps"},
    "abdominal_bracing": {"reps"},
    "monster_walk": {"reps"},
    "single_leg_bridge": {"reps"},
    "dead_bug": {"reps"},
    "side_lying_leg_raise": {"reps"},
    # the stretches and child's pose take holds
    "figure_four_stretch": {"hold"},
    "hamstring_stretch": {"hold"},
    "hip_flexor_stretch": {"hold"},
    "piriformis_stretch": {"hold"},
    "knee_to_chest_stretch": {"hold"},
    "childs_pose": {"hold"},
    # durations
    "walking": {"duration"},
    "swimming": {"duration"},
    "running": {"duration"},
    "glute_foam_roll": {"duration"},
}

ONE_SIDED = {
    "clam_shell",
    "figure_four_stretch",
    "single_leg_bridge",
    "dead_bug",
    "side_lying_leg_raise",
    "lunge",
    "bird_dog",
    "side_plank",
    "hamstring_stretch",
    "hip_flexor_stretch",
    "piriformis_stretch",
    "knee_to_chest_stretch",
    "glute_foam_roll",
}

# REGISTRY.md v2: the regions a clinic treats.
REQUIRED_V2 = {
    "chin_tuck": ["deep_neck_flexor", "chin_retraction"],
    "neck_rotation": ["cervical_rotation"],
    "neck_side_bend": ["cervical_side_flexion"],
    "upper_trap_stretch": ["upper_trapezius_stretch"],
    "levator_scapulae_stretch": [],
    "neck_isometric": ["isometric_neck"],
    "pendulum": ["codman_pendulum"],
    "scapular_retraction": ["scapular_squeeze", "scapular_setting"],
    "external_rotation_band": ["band_external_rotation", "shoulder_external_rotation"],
    "internal_rotation_band": ["band_internal_rotation", "shoulder_internal_rotation"],
    "side_lying_external_rotation": [],
    "isometric_external_rotation": [],
    "isometric_internal_rotation": [],
    "isometric_shoulder_abduction": [],
    "band_row": ["row", "seated_band_row"],
    "band_pull_apart": [],
    "wall_slide": ["shoulder_wall_slide"],
    "wall_push_up": ["wall_press_up"],
    "wand_flexion": ["cane_flexion", "shoulder_flexion_wand"],
    "table_slide": [],
    "sleeper_stretch": [],
    "cross_body_stretch": ["posterior_shoulder_stretch"],
    "doorway_pec_stretch": ["pec_stretch", "doorway_stretch"],
    "prone_y": [],
    "prone_t": [],
    "wrist_extensor_stretch": [],
    "wrist_flexor_stretch": [],
    "eccentric_wrist_extension": [],
    "wrist_curl": [],
    "grip_squeeze": ["ball_squeeze", "putty_squeeze"],
    "tendon_glides": ["tendon_gliding"],
    "forearm_rotation": ["pronation_supination"],
    "open_book": ["thoracic_rotation"],
    "quad_set": ["static_quads", "quadriceps_setting"],
    "straight_leg_raise": ["slr"],
    "short_arc_quad": [],
    "terminal_knee_extension": ["tke"],
    "seated_knee_extension": ["knee_extension"],
    "hamstring_curl": ["standing_hamstring_curl"],
    "prone_knee_hang": ["prone_hang"],
    "mini_squat": ["partial_squat"],
    "calf_raise": ["heel_raise"],
    "toe_raise": [],
    "ankle_pumps": [],
    "ankle_alphabet": [],
    "ankle_eversion_band": [],
    "ankle_inversion_band": [],
    "ankle_dorsiflexion_band": [],
    "ankle_plantarflexion_band": [],
    "towel_scrunch": ["toe_curls"],
    "soleus_stretch": [],
    "single_leg_stance": ["single_leg_balance"],
    "tandem_stance": ["heel_to_toe_stance"],
    "tandem_walk": ["heel_toe_walk", "heel_to_toe_walk"],
    "sideways_walking": ["side_stepping"],
    "backward_walking": [],
    "heel_walking": [],
    "toe_walking": [],
    "diaphragmatic_breathing": ["belly_breathing"],
    "pelvic_floor_contraction": ["kegel"],
}
HOLDS_V2 = {
    "pendulum",
    "isometric_external_rotation",
    "isometric_internal_rotation",
    "isometric_shoulder_abduction",
    "neck_isometric",
    "tandem_stance",
    "single_leg_stance",
    "prone_knee_hang",
    "upper_trap_stretch",
    "levator_scapulae_stretch",
    "sleeper_stretch",
    "cross_body_stretch",
    "doorway_pec_stretch",
    "wrist_extensor_stretch",
    "wrist_flexor_stretch",
    "soleus_stretch",
}
DURATIONS_V2 = {"diaphragmatic_breathing"}

MIN_EXERCISES = 180
MIN_PER_REGION = 10


# --- loading ----------------------------------------------------------------------------------


def _load():
    files = sorted(DATA_DIR.glob("*.toml"))
    entries = {}
    origin = {}
    duplicates = []
    for path in files:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        for key, value in data.items():
            if key in entries:
                duplicates.append(f"{key} in {origin[key]} and {path.name}")
            entries[key] = value
            origin[key] = path.name
    return files, entries, duplicates


FILES, REGISTRY, DUPLICATE_IDS = _load()
IDS = sorted(REGISTRY)


def _entry(ex_id):
    return REGISTRY[ex_id]


# --- whole-registry checks --------------------------------------------------------------------


def test_data_files_exist():
    assert DATA_DIR.is_dir(), DATA_DIR
    assert FILES, f"no TOML files in {DATA_DIR}"


def test_no_id_defined_twice_across_files():
    assert DUPLICATE_IDS == []


def test_enough_exercises():
    assert len(REGISTRY) >= MIN_EXERCISES, len(REGISTRY)


def test_every_top_level_value_is_an_exercise_table():
    for ex_id, value in REGISTRY.items():
        assert isinstance(value, dict), ex_id


def test_ids_and_aliases_snake_case_and_globally_unique():
    seen = {}
    for ex_id in IDS:
        assert SNAKE.match(ex_id), f"id not snake_case: {ex_id}"
        seen[ex_id] = ex_id
    for ex_id in IDS:
        for alias in _entry(ex_id).get("aliases", []):
            assert isinstance(alias, str) and SNAKE.match(alias), f"{ex_id}: alias {alias!r}"
            assert alias not in seen, f"{ex_id}: alias {alias!r} clashes with {seen[alias]!r}"
            seen[alias] = ex_id


def test_every_region_has_enough_exercises():
    counts = {region: sum(region in REGISTRY[ex_id]["regions"] for ex_id in IDS) for region in REGIONS}
    assert all(count >= MIN_PER_REGION for count in counts.values()), counts


def test_every_region_has_its_stop_signs():
    with REGIONS_FILE.open("rb") as fh:
        regions = tomllib.load(fh)
    assert set(regions) == REGIONS
    for region, table in regions.items():
        assert set(table) == {"label", "stop_signs"}, region
        assert 3 <= len(table["stop_signs"]) <= 6, region
        for text in table["stop_signs"]:
            assert text.rstrip()[-1] in ".!?)", f"{region}: not a complete sentence: {text!r}"


def test_heel_slide_is_the_knee_exercise_and_the_core_one_has_its_own_id():
    assert "knee" in REGISTRY["heel_slide"]["regions"]
    assert "lumbar" in REGISTRY["core_heel_slide"]["regions"]
    assert REGISTRY["heel_slide"]["instructions"] != REGISTRY["core_heel_slide"]["instructions"]


@pytest.mark.parametrize("ex_id", sorted(REQUIRED_V2))
def test_v2_dose_forms(ex_id):
    expected = {"hold"} if ex_id in HOLDS_V2 else {"duration"} if ex_id in DURATIONS_V2 else {"reps"}
    assert set(_entry(ex_id)["dose"]) == expected


def test_required_ids_and_aliases_present():
    for ex_id, aliases in {**REQUIRED, **REQUIRED_V2}.items():
        assert ex_id in REGISTRY, f"missing required id {ex_id}"
        have = set(_entry(ex_id)["aliases"])
        for alias in aliases:
            assert alias in have, f"{ex_id}: missing alias {alias}"


@pytest.mark.parametrize("ex_id", sorted(REQUIRED_DOSE))
def test_required_dose_forms(ex_id):
    assert set(_entry(ex_id)["dose"]) == REQUIRED_DOSE[ex_id]


@pytest.mark.parametrize("ex_id", sorted(REQUIRED))
def test_required_one_sidedness(ex_id):
    assert _entry(ex_id)["one_sided"] is (ex_id in ONE_SIDED)


# --- per-entry checks -------------------------------------------------------------------------


@pytest.mark.parametrize("ex_id", IDS)
def test_fields_and_types(ex_id):
    e = _entry(ex_id)
    missing = set(FIELDS) - set(e)
    assert not missing, f"{ex_id}: missing {sorted(missing)}"
    unknown = set(e) - set(FIELDS) - set(FLAGS)
    assert not unknown, f"{ex_id}: unknown fields {sorted(unknown)}"
    for field, typ in FIELDS.items():
        value = e[field]
        if typ is int:
            assert isinstance(value, int) and not isinstance(value, bool), f"{ex_id}.{field}"
        else:
            assert isinstance(value, typ), f"{ex_id}.{field}: {type(value).__name__}"
    for field, typ in FLAGS.items():
        assert isinstance(e.get(field, typ()), typ), f"{ex_id}.{field}"
    assert e["name"].strip(), f"{ex_id}: empty name"
    for field in ("aliases", "dose", "equipment", "targets", "instructions", "cautions", "easier", "harder"):
        for item in e[field]:
            assert isinstance(item, str) and item.strip(), f"{ex_id}.{field}: {item!r}"
        assert len(set(e[field])) == len(e[field]), f"{ex_id}.{field} has repeats"


@pytest.mark.parametrize("ex_id", IDS)
def test_vocabularies(ex_id):
    e = _entry(ex_id)
    assert e["category"] in CATEGORIES, f"{ex_id}: category {e['category']!r}"
    assert e["dose"], f"{ex_id}: empty dose"
    assert set(e["dose"]) <= DOSE_FORMS, f"{ex_id}: dose {e['dose']}"
    assert e["stage"] in STAGES, f"{ex_id}: stage {e['stage']}"
    assert set(e["equipment"]) <= EQUIPMENT, f"{ex_id}: equipment {e['equipment']}"
    assert e["targets"], f"{ex_id}: no targets"
    for target in e["targets"]:
        assert SNAKE.match(target), f"{ex_id}: target {target!r}"
    assert e["regions"] and set(e["regions"]) <= REGIONS, f"{ex_id}: regions {e['regions']}"
    assert e["position"] in POSITIONS, f"{ex_id}: position {e['position']!r}"
    assert e.get("balance", "none") in {b.value for b in Balance}, f"{ex_id}: balance {e.get('balance')!r}"


@pytest.mark.parametrize("ex_id", IDS)
def test_instruction_and_caution_counts(ex_id):
    e = _entry(ex_id)
    assert 3 <= len(e["instructions"]) <= 6, f"{ex_id}: {len(e['instructions'])} instructions"
    assert 1 <= len(e["cautions"]) <= 4, f"{ex_id}: {len(e['cautions'])} cautions"
    for text in e["instructions"] + e["cautions"]:
        # no hand numbering: the handout numbers the steps itself
        assert not re.match(r"^\s*(\d+[.)]|[-*•])\s", text), f"{ex_id}: numbered text {text!r}"
        assert text.rstrip()[-1] in ".!?)", f"{ex_id}: not a complete sentence: {text!r}"


def _check_range(ex_id, block, key, value):
    where = f"{ex_id}.{block}.{key}"
    assert isinstance(value, list) and len(value) == 2, f"{where}: not [low, high]"
    low, high = value
    for v in value:
        assert isinstance(v, int) and not isinstance(v, bool), f"{where}: {v!r} not an integer"
    assert 0 <= low <= high, f"{where}: {value}"


@pytest.mark.parametrize("ex_id", IDS)
def test_range_keys_match_dose(ex_id):
    e = _entry(ex_id)
    expected = set(ALWAYS_RANGES) | {RANGE_FOR_DOSE[d] for d in e["dose"]}
    for block in ("safe", "recommended"):
        keys = set(e[block])
        extra = keys - expected - OPTIONAL_RANGES
        missing = expected - keys
        assert not missing, f"{ex_id}.{block}: missing {sorted(missing)}"
        assert not extra, f"{ex_id}.{block}: keys {sorted(extra)} do not match dose {e['dose']}"
        if "hold_per_rep_s" in keys:
            assert "reps" in e["dose"], f"{ex_id}.{block}: hold_per_rep_s without reps"
    assert set(e["safe"]) == set(e["recommended"]), f"{ex_id}: safe/recommended keys differ"


@pytest.mark.parametrize("ex_id", IDS)
def test_ranges_are_ordered_and_nested(ex_id):
    e = _entry(ex_id)
    for block in ("safe", "recommended"):
        for key, value in e[block].items():
            _check_range(ex_id, block, key, value)
    for key, (s_low, s_high) in e["safe"].items():
        r_low, r_high = e["recommended"][key]
        assert s_low <= r_low <= r_high <= s_high, (
            f"{ex_id}.{key}: recommended {[r_low, r_high]} not inside safe {[s_low, s_high]}"
        )
    assert e["safe"]["rest_s"][0] == 0, f"{ex_id}: safe rest should start at 0"
    assert e["safe"]["sets"][0] >= 1, f"{ex_id}: safe sets must start at 1 or more"
    for key in ("reps", "hold_s", "duration_min"):
        if key in e["safe"]:
            assert e["safe"][key][0] >= 1, f"{ex_id}.safe.{key} starts at 0"


@pytest.mark.parametrize("ex_id", IDS)
def test_progression_links(ex_id):
    e = _entry(ex_id)
    for field in ("easier", "harder"):
        for target in e[field]:
            assert target in REGISTRY, f"{ex_id}.{field}: unknown id {target!r}"
            assert target != ex_id, f"{ex_id}.{field}: refers to itself"
            shared = set(REGISTRY[target]["regions"]) & set(e["regions"])
            assert shared, f"{ex_id}.{field}: {target} is for another region"
    assert not set(e["easier"]) & set(e["harder"]), f"{ex_id}: same id both easier and harder"


# --- the seeds' facts and the language reference's example fit the recommended ranges ----------


def _inside(ex_id, key, *values):
    low, high = _entry(ex_id)["recommended"][key]
    for v in values:
        assert low <= v <= high, f"{ex_id}.recommended.{key} {[low, high]} excludes {v}"


def test_seed_doses_are_recommended():
    # clam shell: 3 x 12, 30-60 s rest, 1 s pause, start at 8 reps if the muscle burns
    _inside("clam_shell", "sets", 3)
    _inside("clam_shell", "reps", 8, 12)
    _inside("clam_shell", "rest_s", 30, 60)
    _inside("clam_shell", "hold_per_rep_s", 1)
    # figure-four stretch: 3 holds of 45-60 s
    _inside("figure_four_stretch", "sets", 3)
    _inside("figure_four_stretch", "hold_s", 45, 60)
    # bridges and back extensions: 10-15 reps with a short hold at the top
    _inside("glute_bridge", "reps", 10, 15)
    _inside("glute_bridge", "hold_per_rep_s", 3)
    _inside("back_extension", "reps", 10, 15)
    _inside("back_extension", "hold_per_rep_s", 3)
    # plank: 20-30 s, growing
    _inside("plank", "hold_s", 20, 30, 45)
    # bird dog: a short hold at the end position
    _inside("bird_dog", "hold_per_rep_s", 3)
    # LANGUAGE.md example program
    _inside("dead_bug", "reps", 8)
    _inside("bird_dog", "reps", 8)
    _inside("glute_bridge", "sets", 3)
    _inside("plank", "sets", 3)


def test_glute_bridge_takes_reps_or_holds():
    keys = _entry("glute_bridge")["recommended"]
    assert "reps" in keys and "hold_s" in keys


def test_loaded_exercises_need_their_load():
    assert set(_entry("deadlift")["equipment"]) & {"kettlebell", "dumbbell", "barbell"}
    assert "mini_band" in _entry("monster_walk")["equipment"]
    assert "foam_roller" in _entry("glute_foam_roll")["equipment"]


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_builtin_files_pass_the_schema_clinic_files_are_checked_against(path):
    """One schema for every registry file: the built-in data must pass what a clinic's must."""
    from progdsl.registry_schema import check_file

    _, diagnostics = check_file(path)
    assert [f"{d.span.line}:{d.span.col} {d.code} {d.message}" for d in diagnostics] == []
