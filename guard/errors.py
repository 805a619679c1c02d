"""The one error a refused input raises."""

from __future__ import annotations


class InputError(ValueError):
    """An input that cannot be used. `message` says what is wrong (naming the file or field), `fix` what
    to write instead. Callers print both, exit 2, and never show a traceback."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(f"{message} {fix}".strip())
        self.message = message
        self.fix = fix

    def within(self, prefix: str) -> InputError:
        """The same error with `prefix` (a file name, a field) in front of the message."""
        return InputError(f"{prefix}: {self.message}", self.fix)
