"""The concepts programs and the registry share, one enum each: dose kinds and weekdays.

Each member carries what code needs to know about it (its unit, its registry limit,
its size limit). The words a person reads for each member live in `progdsl.wording`,
so that a translation has one place to go.
"""

from __future__ import annotations

import enum
import re


class DoseKind(enum.StrEnum):
    """How an exercise's amount is measured: repetitions, seconds held, or minutes of one bout;
    or, for an exercise that takes a bout, the metres or steps of that bout (`walking 2km`,
    `walking 3000 steps`). A registry names only the first three (`in_registry`)."""

    REPS = "reps"
    HOLD = "hold"
    DURATION = "duration"
    DISTANCE = "distance"
    STEPS = "steps"

    @property
    def unit(self) -> str:
        """The canonical unit of the amount (`progdsl.units`): none, `s` or `min`."""
        return _UNIT[self]

    @property
    def limit_key(self) -> str:
        """The registry range that bounds the amount (`reps`, `hold_s`, `duration_min`)."""
        return _LIMIT_KEY[self]

    @property
    def max_amount(self) -> int:
        """The largest amount a program may write: far beyond any prescription, small
        enough that dates and durations stay computable."""
        return _MAX_AMOUNT[self]

    @property
    def seconds_per_unit(self) -> float:
        """Seconds in one unit of the amount (a repetition counts as none; a metre and a
        step at an easy walking pace, for how long a session takes)."""
        return _SECONDS_PER_UNIT[self]

    @property
    def in_registry(self) -> bool:
        """Whether a registry entry may name this dose form (distance and steps stand in for a bout)."""
        return self in REGISTRY_DOSE_KINDS

    @property
    def bout_measure(self) -> bool:
        """Whether the amount measures one bout other than by time: metres or steps."""
        return self in (DoseKind.DISTANCE, DoseKind.STEPS)


REGISTRY_DOSE_KINDS = (DoseKind.REPS, DoseKind.HOLD, DoseKind.DURATION)
_UNIT = {
    DoseKind.REPS: "",
    DoseKind.HOLD: "s",
    DoseKind.DURATION: "min",
    DoseKind.DISTANCE: "m",
    DoseKind.STEPS: "steps",
}
_LIMIT_KEY = {
    DoseKind.REPS: "reps",
    DoseKind.HOLD: "hold_s",
    DoseKind.DURATION: "duration_min",
    DoseKind.DISTANCE: "distance_m",
    DoseKind.STEPS: "steps",
}
# 100 km and 100,000 steps: far beyond a home program's walk.
_MAX_AMOUNT = {
    DoseKind.REPS: 1000,
    DoseKind.HOLD: 3600,
    DoseKind.DURATION: 600,
    DoseKind.DISTANCE: 100_000,
    DoseKind.STEPS: 100_000,
}
# A metre at 4.8 km/h takes 0.75 s; a step at 100 steps a minute, 0.6 s.
_SECONDS_PER_UNIT = {
    DoseKind.REPS: 0,
    DoseKind.HOLD: 1,
    DoseKind.DURATION: 60,
    DoseKind.DISTANCE: 0.75,
    DoseKind.STEPS: 0.6,
}

# The most times a day a session may be done (`3x/day`), and the rounds of a circuit.
MAX_PER_DAY = 12
MAX_ROUNDS = 50


class Side(enum.StrEnum):
    """The side a one-sided exercise is done on when a line names one (`left`, `affected side`)."""

    LEFT = "left"
    RIGHT = "right"

    @property
    def other(self) -> Side:
        return Side.RIGHT if self is Side.LEFT else Side.LEFT


class LogItem(enum.StrEnum):
    """What the tracking log may ask for by name (`log pain`, `log falls`); `log "TEXT"` asks anything else."""

    PAIN = "pain"
    FALLS = "falls"


# The registry's ranges, in the order tables print them.
LIMIT_KEYS = ("sets", "reps", "hold_s", "duration_min", "rest_s", "hold_per_rep_s")


class Weekday(enum.IntEnum):
    """Days of the week as `datetime.date.weekday()` numbers them; `code` is what programs write."""

    MON = 0
    TUE = 1
    WED = 2
    THU = 3
    FRI = 4
    SAT = 5
    SUN = 6

    @property
    def code(self) -> str:
        """`mon`: the three letters a program writes and JSON stores."""
        return self.name.lower()

    @property
    def full_name(self) -> str:
        """`monday`: the day's whole name, which a program may also write."""
        return _FULL_NAMES[self]

    @classmethod
    def from_word(cls, word: str) -> Weekday | None:
        """`mon`, `Mon` or `monday` (any case); None for anything else."""
        lowered = word.lower()
        for day in cls:
            if lowered == day.code or lowered == day.full_name:
                return day
        return None


_FULL_NAMES = {
    Weekday.MON: "monday",
    Weekday.TUE: "tuesday",
    Weekday.WED: "wednesday",
    Weekday.THU: "thursday",
    Weekday.FRI: "friday",
    Weekday.SAT: "saturday",
    Weekday.SUN: "sunday",
}


class Region(enum.StrEnum):
    """The part of the body, or the kind of work, an exercise belongs to."""

    NECK = "neck"
    SHOULDER = "shoulder"
    ELBOW_WRIST_HAND = "elbow_wrist_hand"
    THORACIC = "thoracic"
    LUMBAR = "lumbar"
    HIP = "hip"
    KNEE = "knee"
    ANKLE_FOOT = "ankle_foot"
    BALANCE = "balance"
    CARDIO = "cardio"
    BREATHING_PELVIC_FLOOR = "breathing_pelvic_floor"


# Words in a `surgery` line's text and the region each names: "ACL reconstruction, left
# knee" is the knee. A text may name several regions; one that names none is a warning (S607).
SURGERY_REGION_WORDS: dict[str, Region] = {
    **dict.fromkeys(("neck", "cervical"), Region.NECK),
    **dict.fromkeys(("shoulder", "rotator", "subacromial", "clavicle", "collarbone", "humerus"), Region.SHOULDER),
    **dict.fromkeys(
        ("elbow", "wrist", "hand", "finger", "thumb", "carpal", "forearm", "radius"), Region.ELBOW_WRIST_HAND
    ),
    **dict.fromkeys(("thoracic",), Region.THORACIC),
    **dict.fromkeys(
        ("back", "lumbar", "spine", "spinal", "discectomy", "microdiscectomy", "laminectomy"), Region.LUMBAR
    ),
    **dict.fromkeys(("hip", "femur"), Region.HIP),
    **dict.fromkeys(
        ("knee", "acl", "pcl", "mcl", "menisectomy", "meniscectomy", "meniscus", "patella", "patellar", "tkr", "tka"),
        Region.KNEE,
    ),
    **dict.fromkeys(("ankle", "foot", "achilles", "heel", "toe", "bunion"), Region.ANKLE_FOOT),
}


def surgery_regions(text: str) -> tuple[Region, ...]:
    """The regions a surgery's text names, in the order it names them (see SURGERY_REGION_WORDS)."""
    found = [SURGERY_REGION_WORDS.get(word) for word in re.findall(r"[a-z]+", text.lower())]
    return tuple(dict.fromkeys(region for region in found if region))


class Position(enum.StrEnum):
    """The position an exercise starts from."""

    LYING_ON_BACK = "lying_on_back"
    LYING_FACE_DOWN = "lying_face_down"
    SIDE_LYING = "side_lying"
    FOUR_POINT_KNEELING = "four_point_kneeling"
    KNEELING = "kneeling"
    SITTING = "sitting"
    STANDING = "standing"


class Balance(enum.StrEnum):
    """How much an exercise asks of the client's balance."""

    NONE = "none"  # no balance demand to speak of
    SUPPORTED = "supported"  # standing balance work with a hand on a bench, wall or chair
    UNSUPPORTED = "unsupported"  # balance work with nothing to hold


class Category(enum.StrEnum):
    STRETCH = "stretch"
    MOBILITY = "mobility"
    ACTIVATION = "activation"
    STRENGTH = "strength"
    CORE = "core"
    CARDIO = "cardio"
    RELEASE = "release"


# What a client may own or use at home; registry entries and `equipment` lines name these.
EQUIPMENT = frozenset(
    {
        "mat",
        "chair",
        "wall",
        "step",
        "bench",
        "table",
        "towel",
        "wand",
        "strap",
        "pillow",
        "mini_band",
        "resistance_band",
        "door_anchor",
        "dumbbell",
        "kettlebell",
        "barbell",
        "putty",
        "ball",
        "stability_ball",
        "foam_roller",
        "massage_ball",
        "balance_pad",
    }
)
