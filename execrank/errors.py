"""The exceptions execrank raises, one tree under ExecrankError.

Every message is one sentence a person can act on: what was wrong, where, and what would be right.
"""

from __future__ import annotations


class ExecrankError(Exception):
    """Base of every error execrank raises on purpose; the CLI prints its message and exits 1."""


class ModelError(ExecrankError):
    """A scoring model file is missing, is not YAML, or breaks the schema (raised by model.load)."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        listed = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{source}: {len(problems)} problem(s) in the scoring model:\n{listed}")


class InputError(ExecrankError):
    """An input file cannot be read at all: missing, empty, undecodable, or without a header."""


class ValueParseError(ExecrankError):
    """One cell's text is not a value of the expected kind (raised by the value parsers)."""

    def __init__(self, value: str, expected: str) -> None:
        self.value = value
        self.expected = expected
        super().__init__(f"{value!r} is not {expected}")


class StoreError(ExecrankError):
    """The store cannot be opened (e.g. another process, such as `execrank serve`, has it open)
    or is not an execrank store of a known schema version."""


class NotFoundError(ExecrankError):
    """A contact, snapshot or other record named by the user does not exist."""


class RecordError(ExecrankError):
    """One posted record (an event, a signal, an adjustment) breaks the import rules; nothing
    was stored. `problems` names each bad field (raised by service.post_event and the like)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class BusyError(ExecrankError):
    """A full rescore was asked for while another one runs (raised by service.rescore)."""
