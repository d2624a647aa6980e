"""Backends the tests install in place of real plugins: each shows or breaks one thing.

A real module (not text written at test time), so worker processes import it too.
"""

import json
import os
import signal


class Echo:
    """Shows what the command line handed to backends."""

    name, suffix, media_type = "echo", ".echo", "application/json"

    def render(self, plan, options):
        return json.dumps(
            {
                "overrides": dict(options.overrides),
                "timestamp": options.timestamp.isoformat() if options.timestamp else None,
                "previous": options.previous.decode() if options.previous is not None else None,
                "start": plan.start.isoformat(),
            },
            sort_keys=True,
        ).encode()


class Raises:
    name, suffix, media_type = "raises", ".raises", "text/plain"

    def render(self, plan, options):
        raise ValueError("boom")


class Pid:
    """Writes the id of the process that rendered it."""

    name, suffix, media_type = "pid", ".pid", "text/plain"

    def render(self, plan, options):
        return str(os.getpid()).encode()


class UnguardedPid(Pid):
    """The same, saying that it needs no guarding process."""

    name, suffix = "unguarded_pid", ".unguarded"
    guarded = False


class Crash:
    """Kills its own process when the program's title says so, as a crash in a C library would."""

    name, suffix, media_type = "crash", ".crash", "text/plain"

    def render(self, plan, options):
        if "Crash" in plan.program.title:
            os.kill(os.getpid(), signal.SIGKILL)
        return b"fine"


class CrashOnce:
    """Kills its own process the first time it renders a program titled `Crash once MARKER`
    (the file MARKER says it already has, so its second try renders), and every time it
    renders one titled `Crash always`."""

    name, suffix, media_type = "crash_once", ".crash_once", "text/plain"

    def render(self, plan, options):
        title = plan.program.title
        if title == "Crash always":
            os.kill(os.getpid(), signal.SIGKILL)
        if title.startswith("Crash once "):
            marker = title.removeprefix("Crash once ")
            if not os.path.exists(marker):
                open(marker, "w").close()
                os.kill(os.getpid(), signal.SIGKILL)
        return b"fine"


class Text:
    name, suffix, media_type = "text", ".txt", "text/plain"

    def render(self, plan, options):
        return "not bytes"


class Misnamed:
    name, suffix, media_type = "something_else", "txt", "text/plain"
    render = None


class Hangs:
    """Never returns, as a backend stuck on a lock or a network call would."""

    name, suffix, media_type = "hangs", ".hangs", "text/plain"

    def render(self, plan, options):
        import time

        while True:
            time.sleep(60)


class Exits:
    """Calls sys.exit, as a careless plugin might."""

    name, suffix, media_type = "exits", ".exits", "text/plain"

    def render(self, plan, options):
        raise SystemExit(3)


class PluginAbort(BaseException):
    """A plugin's own exception that is not an Exception."""


class Base:
    name, suffix, media_type = "base", ".base", "text/plain"

    def render(self, plan, options):
        raise PluginAbort("gave up")


class HardExit:
    """Ends its process at once with os._exit, which no `except` can catch."""

    name, suffix, media_type = "hard_exit", ".hard_exit", "text/plain"

    def render(self, plan, options):
        os._exit(5)


class Segfault:
    """Reads address 0, as a bug in a C extension would: the process dies of SIGSEGV."""

    name, suffix, media_type = "segfault", ".segfault", "text/plain"

    def render(self, plan, options):
        import ctypes
        import faulthandler

        faulthandler.disable()  # pytest's own handler would print a traceback for the dying child
        ctypes.string_at(0)
