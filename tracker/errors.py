"""Errors a user can act on.

Every error the library raises for bad input is a :class:`TrackerError` whose message is one
line naming the argument or file (and line), the value received, and the fix. The CLI prints
the message and exits non-zero; it never shows a traceback for these.
"""
from __future__ import annotations

from collections.abc import Iterable


class TrackerError(Exception):
    """An error caused by input the user can fix; ``str(err)`` is a one-line message."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


def where(path: object, line: int | None = None) -> str:
    """Format a location as ``path`` or ``path:line``."""
    return f"{path}:{line}" if line is not None else f"{path}"


def invalid_choice(name: str, value: object, valid: Iterable[object]) -> TrackerError:
    """``--period 'fortnight' is invalid; use one of: W, M, Q, Y.``"""
    choices = ", ".join(str(v) for v in valid)
    return TrackerError(f"{name} {value!r} is invalid; use one of: {choices}.")


def bad_input(path: object, line: int | None, problem: str, fix: str) -> TrackerError:
    """``data.jsonl:3: not valid JSON (Expecting value); fix or remove that line.``"""
    return TrackerError(f"{where(path, line)}: {problem}; {fix}")


# Ctrl-C: the first press is noted and honoured at the next safe point (between files,
# articles, scoring chunks and report weeks), so it never lands inside a finaliser, where Python
# would print it and carry on; a second press stops at once.
_INTERRUPTED: list[bool] = []


def on_interrupt(signum, frame) -> None:  # pragma: no cover - exercised through a subprocess
    if _INTERRUPTED:
        raise KeyboardInterrupt
    _INTERRUPTED.append(True)


def check_interrupted() -> None:
    """Raise ``KeyboardInterrupt`` if Ctrl-C was pressed (see :func:`on_interrupt`)."""
    if _INTERRUPTED:
        raise KeyboardInterrupt
