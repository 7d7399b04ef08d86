"""Exceptions the library raises for problems a user can fix.

The CLI turns every ``TracerError`` into a one-line message and a non-zero
exit code; anything else is a bug and keeps its traceback (with --verbose).
"""
from __future__ import annotations


class TracerError(Exception):
    """A problem with the user's input or environment, worded for the user."""

    exit_code = 1


class InputError(TracerError):
    """Bad input: a missing path, an empty query, an unknown language..."""

    exit_code = 2


class IndexNotFound(TracerError):
    """The index directory does not exist or holds no built index yet."""

    exit_code = 3


class IndexDamaged(TracerError):
    """A file of the index is not what was written: garbage, truncated, missing."""

    exit_code = 3


class EncoderMismatch(TracerError):
    """The index was built with another encoder than the one configured."""

    exit_code = 3


class MissingDependency(TracerError):
    """An optional backend's package is not installed."""

    exit_code = 4
