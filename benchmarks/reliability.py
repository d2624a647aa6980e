"""progdsl's reliability in figures: fuzzed inputs and injected faults, and what was lost.

    .venv/bin/python benchmarks/reliability.py                 # 2,000 inputs, 60 of them as whole builds, every fault
    .venv/bin/python benchmarks/reliability.py --inputs 200    # a quicker run

Needs the test extra (`pip install -e '.[test]'`): the fuzzed inputs are made from the
seeds and words of tests/test_fuzz.py, and the faulty backends are tests/fake_backends.py.

1. **Fuzzing.** Each input (a mutated example program, a soup of the language's words, or
   random bytes; the same seed gives the same inputs) is checked, planned and rendered to
   JSON and iCalendar in a helper process with a time limit. A Python exception that
   escapes counts as a traceback, running out of time as a hang, the helper dying as a
   crash. Some of the inputs also go through `progdsl check` and `progdsl build --to json
   --to ics` as whole processes: a program that checks clean must get both files, whole
   (JSON that parses, a calendar that ends with END:VCALENDAR), and one with errors none.
2. **Faults.** Each scenario runs `progdsl build` as users do, with an injected fault: a
   backend that hangs, crashes (SIGSEGV, SIGKILL, os._exit) or raises SystemExit, under
   `--jobs 1` and `--jobs 2`; the build killed with SIGKILL in the middle; an output folder
   that cannot be written; symbolic links as program and as output; a FIFO among the
   programs and in place of an output; a program of 10 MB, /dev/zero, and a previous
   calendar of 70 MB. Each says what must be written, what must not, and the exit status.

Prints a Markdown table: per part, what was tried and the tracebacks, hangs, crashes and
lost or half-written outputs; the last line is the total. Exits 1 if any is above zero.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
sys.path.insert(0, str(TESTS))

from test_fuzz import SEEDS, WORDS  # noqa: E402

from progdsl import pool  # noqa: E402

PYTHON = sys.executable
PROCESS_LIMIT = 120  # seconds before a whole `progdsl` process counts as hung

# `progdsl` with the faulty test backends installed beside the built-in ones.
BUILD = """
import sys
sys.path.insert(0, {tests!r})
from progdsl import plugins
real = plugins.discover
fakes = {{name: "fake_backends:" + cls for name, cls in [("hangs", "Hangs"), ("crash", "Crash"), ("exits", "Exits"),
          ("hard_exit", "HardExit"), ("segfault", "Segfault"), ("raises", "Raises")]}}
def discover(group):
    found = real(group)
    if group == plugins.BACKENDS:
        found += tuple(plugins.Plugin(group, n, t, "acme-backends", "1.0") for n, t in fakes.items())
    return found
plugins.discover = discover
from progdsl.cli import main
main(sys.argv[1:], prog_name="progdsl")
"""


# ---- inputs -----------------------------------------------------------------------------


def mutated(rng: random.Random) -> bytes:
    data = bytearray(rng.choice(SEEDS).encode("utf-8"))
    for _ in range(rng.randint(1, 6)):
        if not data:
            break
        at = rng.randrange(len(data))
        action = rng.choice(["delete", "insert", "replace", "duplicate_line"])
        if action == "delete":
            del data[at : at + rng.randint(1, 20)]
        elif action == "insert":
            data[at:at] = rng.choice(WORDS).encode("utf-8")
        elif action == "replace":
            data[at] = rng.randrange(256)
        else:
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            data[start:start] = data[start : end + 1 if end >= 0 else len(data)]
    return bytes(data)


def inputs(count: int, seed: int) -> list[bytes]:
    """Seven in ten mutated programs, two in ten word soups, one in ten random bytes."""
    rng = random.Random(seed)
    made = []
    for number in range(count):
        kind = number % 10
        if kind < 7:
            made.append(mutated(rng))
        elif kind < 9:
            made.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 60))).encode("utf-8"))
        else:
            made.append(bytes(rng.randrange(256) for _ in range(rng.randint(0, 400))))
    return made


def compile_in_helper(data: bytes) -> bytes:
    """Check, plan and render to JSON and iCalendar; b"built" or b"refused". Runs in the helper."""
    from progdsl.backends import RenderOptions, load_backend
    from progdsl.compiler import load_bytes, plan_of

    plan, result = plan_of(load_bytes(data, "fuzz.prog"), None)
    if plan is None:
        assert result.errors, "no plan, and no error to say why"
        return b"refused"
    for name in ("json", "ics"):
        output = load_backend(name).render(plan, RenderOptions())
        assert isinstance(output, bytes) and output, f"{name} gave no bytes"
    return b"built"


@dataclass
class Tally:
    tried: int = 0
    tracebacks: int = 0
    hangs: int = 0
    crashes: int = 0
    lost: int = 0  # outputs that should have been written and were not, or were not whole
    stray: int = 0  # files that should not exist: half-written, temporary, or for a refused program
    notes: list[str] = field(default_factory=list)

    @property
    def faults(self) -> int:
        return self.tracebacks + self.hangs + self.crashes + self.lost + self.stray


def fuzz_in_process(samples: list[bytes], limit: float) -> tuple[Tally, Counter]:
    tally, outcomes = Tally(), Counter()
    helper = pool.Helper()
    try:
        for data in samples:
            tally.tried += 1
            try:
                outcomes[helper.call(partial(compile_in_helper, data), limit).decode()] += 1
            except pool.Raised as exc:
                tally.tracebacks += 1
                tally.notes.append(f"raised: {exc} for {data[:80]!r}")
            except pool.TimedOut:
                tally.hangs += 1
                tally.notes.append(f"hung: {data[:80]!r}")
            except pool.Stopped as exc:
                tally.crashes += 1
                tally.notes.append(f"crashed ({exc}): {data[:80]!r}")
    finally:
        helper.close()
    return tally, outcomes


def run(argv: list[str], **options) -> subprocess.CompletedProcess | None:
    """A whole process, or None when it runs past PROCESS_LIMIT (a hang)."""
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=PROCESS_LIMIT, **options)
    except subprocess.TimeoutExpired:
        return None


def progdsl(*args: str, **options) -> subprocess.CompletedProcess | None:
    return run([PYTHON, "-c", BUILD.format(tests=str(TESTS)), *args], **options)


def whole(path: Path) -> bool:
    """Whether an output is complete: JSON that parses, a calendar that ends as one must."""
    try:
        if not path.is_file():  # a FIFO left in place would block the read
            return False
        data = path.read_bytes()
    except OSError:
        return False
    if path.suffix == ".json":
        try:
            json.loads(data)
        except ValueError:
            return False
        return True
    return data.rstrip().endswith(b"END:VCALENDAR")


def fuzz_whole_builds(samples: list[bytes], work: Path) -> Tally:
    tally = Tally()
    for number, data in enumerate(samples):
        folder = work / f"build{number}"
        folder.mkdir()
        program = folder / "fuzz.prog"
        program.write_bytes(data)
        out = folder / "out"
        tally.tried += 1
        checked = run([PYTHON, "-m", "progdsl", "check", str(program)])
        built = run([PYTHON, "-m", "progdsl", "build", str(program), "--to", "json", "--to", "ics", "-o", str(out)])
        if checked is None or built is None:
            tally.hangs += 1
            continue
        for done in (checked, built):
            if "Traceback" in done.stderr or done.returncode not in (0, 1):
                tally.tracebacks += 1
                tally.notes.append(f"exit {done.returncode}: {done.stderr[-300:]!r}")
        files = sorted(out.iterdir()) if out.is_dir() else []
        if built.returncode == 0:
            tally.lost += sum(not (out / f"fuzz{suffix}").is_file() for suffix in (".json", ".ics"))
            tally.lost += sum(not whole(path) for path in files)
            tally.stray += sum(path.name not in ("fuzz.json", "fuzz.ics") for path in files)
        else:
            tally.stray += len(files)  # refused: nothing at all
        if (checked.returncode == 0) != (built.returncode == 0) and "E125" not in built.stderr:
            tally.notes.append(f"check said {checked.returncode}, build {built.returncode}: {data[:80]!r}")
    return tally


# ---- faults -----------------------------------------------------------------------------


def programs(folder: Path, count: int = 3) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    example = (ROOT / "programs" / "glutes_sore_back.prog").read_text()
    made = []
    for number in range(count):
        title = "Crash" if number == 1 else f"Program {number}"
        path = folder / f"p{number}.prog"
        path.write_text(example.replace("Glutes for a sore back", title))
        made.append(path)
    return made


def expect(
    tally: Tally,
    done: subprocess.CompletedProcess | None,
    out: Path,
    wanted: set[str],
    status: int,
    label: str,
    said: tuple[str, ...] = (),
) -> None:
    """One scenario's verdict: the files in `out` are exactly `wanted` and whole, the exit
    status is `status`, standard error says each of `said`, and no traceback."""
    tally.tried += 1
    if done is None:
        tally.hangs += 1
        tally.notes.append(f"{label}: hung")
        return
    if "Traceback" in done.stderr:
        tally.tracebacks += 1
        tally.notes.append(f"{label}: {done.stderr[-300:]!r}")
    found = {path.name for path in out.iterdir()} if out.is_dir() else set()
    tally.lost += len(wanted - found) + sum(
        not whole(out / name) for name in wanted & found if name[-4:] in ("json", ".ics")
    )
    tally.stray += len(found - wanted)
    if done.returncode != status:
        tally.notes.append(f"{label}: exit {done.returncode}, not {status}: {done.stderr[-300:]!r}")
        tally.lost += 1
    for words in said:
        if words not in done.stderr:
            tally.notes.append(f"{label}: standard error does not say {words!r}")
            tally.lost += 1


def fault_plugins(work: Path) -> Tally:
    tally = Tally()
    paths = programs(work / "plugins")
    faulty = ["hangs", "crash", "exits", "hard_exit", "segfault", "raises"]
    for jobs in ("1", "2"):
        out = work / f"plugins-out-{jobs}"
        to = [arg for name in [*faulty, "json", "ics"] for arg in ("--to", name)]
        done = progdsl("build", *map(str, paths), *to, "-o", str(out), "--jobs", jobs, "--backend-timeout", "3")
        wanted = {f"{p.stem}{suffix}" for p in paths for suffix in (".json", ".ics")}
        wanted |= {f"{p.stem}.crash" for p in paths if p.stem != "p1"}
        said = (f"{paths[0]}: backend 'hangs' was stopped after 3 s", "backend 'segfault' failed", "SIGKILL")
        expect(tally, done, out, wanted, 1, f"faulty plugins, --jobs {jobs}", said)
        tally.tried += len(faulty) * len(paths) - 2 - 1  # faulty renders: `crash` fails only p1; less expect's 1
    return tally


def _descendants(root: int) -> set[int]:
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                text = (entry / "stat").read_text()
            except OSError:
                continue
            fields = text[text.rindex(")") + 2 :].split()
            if fields[0] != "Z":
                table[int(entry.name)] = int(fields[1])
    found, frontier = set(), [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in table.items():
            if ppid == parent and pid not in found:
                found.add(pid)
                frontier.append(pid)
    return found


def _running(pid: int) -> bool:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return text[text.rindex(")") + 2 :].split()[0] != "Z"


def fault_killed(work: Path) -> Tally:
    """`progdsl build` killed with SIGKILL while it renders: no process left, no stray file."""
    tally = Tally()
    if not Path("/proc/self/stat").exists():
        tally.notes.append("killed build: skipped, needs Linux's /proc")
        return tally
    paths = programs(work / "killed", 4)
    for jobs in ("1", "2"):
        out = work / f"killed-out-{jobs}"
        out.mkdir()
        (out / "p0.json").write_text('{"old": true}')
        argv = [PYTHON, "-c", BUILD.format(tests=str(TESTS)), "build", *map(str, paths)]
        argv += ["--to", "json", "--to", "hangs", "-o", str(out), "--jobs", jobs]
        build = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(4)  # checking, and rendering `hangs`
        below = _descendants(build.pid)
        build.kill()
        build.wait()
        deadline = time.monotonic() + 10
        left = below
        while left and time.monotonic() < deadline:
            time.sleep(0.1)
            left = {pid for pid in left if _running(pid)}
        tally.tried += 1
        if left:
            tally.hangs += len(left)
            tally.notes.append(f"killed build, --jobs {jobs}: {len(left)} process(es) left running")
        names = {p.name for p in out.iterdir()}
        tally.stray += sum(name.endswith(".tmp") or name.endswith(".hangs") for name in names)
        tally.lost += sum(not whole(out / name) for name in names if name.endswith(".json"))
    return tally


def fault_files(work: Path) -> Tally:
    tally = Tally()
    base = work / "files"
    (program,) = programs(base / "programs", 1)

    # An output folder that cannot be written: under a file (root may write anywhere else).
    blocker = base / "a-file"
    blocker.write_text("")
    done = progdsl("build", str(program), "--to", "json", "-o", str(blocker / "out"))
    expect(tally, done, blocker / "out", set(), 1, "unwritable folder", ("cannot create the output folder",))
    if os.geteuid() != 0:
        locked = base / "read-only"
        locked.mkdir()
        locked.chmod(0o555)
        done = progdsl("build", str(program), "--to", "json", "-o", str(locked))
        expect(tally, done, locked, set(), 1, "read-only folder", ("permission denied",))
        locked.chmod(0o755)

    # Symbolic links: a program reached through one; an output that is one is replaced, its target kept.
    link = base / "linked.prog"
    link.symlink_to(program)
    out = base / "links-out"
    out.mkdir()
    target = base / "precious.txt"
    target.write_text("keep me")
    (out / "linked.json").symlink_to(target)
    done = progdsl("build", str(link), "--to", "json", "--to", "ics", "-o", str(out))
    expect(tally, done, out, {"linked.json", "linked.ics"}, 0, "symbolic links")
    if target.read_text() != "keep me" or (out / "linked.json").is_symlink():
        tally.lost += 1
        tally.notes.append("symbolic links: the link's target was written through")
    loop = base / "loop.prog"
    loop.symlink_to(loop)
    done = progdsl("check", str(loop))
    expect(tally, done, base / "none", set(), 2, "a symbolic link loop")

    # FIFOs: one among the programs is skipped; one in place of the previous calendar is not read.
    if hasattr(os, "mkfifo"):
        folder = base / "fifo-programs"
        folder.mkdir()
        (folder / "a.prog").write_text(program.read_text())
        os.mkfifo(folder / "b.prog")
        out = base / "fifo-out"
        out.mkdir()
        os.mkfifo(out / "a.ics")
        done = progdsl("build", str(folder), "--to", "json", "--to", "ics", "-o", str(out))
        expect(tally, done, out, {"a.json", "a.ics"}, 0, "FIFOs", ("skipped",))

    # Huge inputs: 10 MB of program, an endless one, and a previous calendar of 70 MB.
    big = base / "big.prog"
    big.write_bytes(program.read_bytes() * (10_000_000 // len(program.read_bytes())))
    done = progdsl("build", str(big), "--to", "json", "-o", str(base / "big-out"))
    expect(tally, done, base / "big-out", set(), 1, "a 10 MB program", ("E005",))
    done = progdsl("plan", "/dev/zero")
    expect(tally, done, base / "none", set(), 1, "/dev/zero", ("E005",))
    out = base / "previous-out"
    out.mkdir()
    with open(out / "p0.ics", "wb") as huge:
        huge.truncate(70 * 1024 * 1024)
    done = progdsl("build", str(program), "--to", "ics", "-o", str(out))
    expect(tally, done, out, {"p0.ics"}, 0, "a 70 MB previous calendar", ("larger than 64 MB",))
    return tally


# ---- the report ---------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=2000, help="fuzzed inputs (default: 2000)")
    parser.add_argument("--builds", type=int, default=60, help="of them, how many also as whole processes")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--limit", type=float, default=30, help="seconds before one input counts as hung")
    args = parser.parse_args()

    samples = inputs(args.inputs, args.seed)
    started = time.monotonic()
    rows: list[tuple[str, Tally]] = []
    with tempfile.TemporaryDirectory(prefix="progdsl-reliability-") as temporary:
        work = Path(temporary)
        fuzzed, outcomes = fuzz_in_process(samples, args.limit)
        rows.append((f"fuzzed inputs, in-process ({outcomes['built']} built, {outcomes['refused']} refused)", fuzzed))
        step = max(1, len(samples) // max(args.builds, 1))
        rows.append(
            ("fuzzed inputs, as `progdsl check` and `build`", fuzz_whole_builds(samples[::step][: args.builds], work))
        )
        rows.append(
            (
                "faulty plugin renders, `--jobs 1` and `2`: hang, SIGSEGV, SIGKILL, `os._exit`, SystemExit, raise",
                fault_plugins(work),
            )
        )
        rows.append(("build killed with SIGKILL mid-render (`--jobs 1`, `--jobs 2`)", fault_killed(work)))
        rows.append(("unwritable folder, symlinks, FIFOs, huge inputs", fault_files(work)))

    print("| part | tried | tracebacks | hangs | crashes | outputs lost | stray files |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    total = Tally()
    for label, tally in rows:
        print(
            f"| {label} | {tally.tried:,} | {tally.tracebacks} | {tally.hangs} | {tally.crashes} | {tally.lost} | {tally.stray} |"
        )
        for name in ("tried", "tracebacks", "hangs", "crashes", "lost", "stray"):
            setattr(total, name, getattr(total, name) + getattr(tally, name))
    print(
        f"| **total** | {total.tried:,} | {total.tracebacks} | {total.hangs} | {total.crashes} | {total.lost} | {total.stray} |"
    )
    print(f"\nseed {args.seed}, {time.monotonic() - started:.0f} s")
    for label, tally in rows:
        for note in tally.notes:
            print(f"- {label}: {note}")
    return 1 if total.faults else 0


if __name__ == "__main__":
    sys.exit(main())
