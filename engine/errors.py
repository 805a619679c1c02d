"""The two ways a service refuses, typed so the CLI maps them to exit codes in one place (cli/errors.py):
`BadInput` (exit 2: a spec, flag or file the user can fix; the message names it, `fix` says how) and
`ProgramFailed` (exit 1: the input was fine, the program it describes failed). No pulumi import."""

from __future__ import annotations


class BadInput(ValueError):
    """Input that cannot be used: `message` says what and where, `fix` what to do (may be empty when the
    message already says it)."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(f"{message} {fix}".strip())
        self.message = message
        self.fix = fix


class ProgramFailed(RuntimeError):
    """The program ran and failed (exit 1, not 2); the message is the program's own."""
