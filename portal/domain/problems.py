"""Problem records: a programming defect in the problem database for quality control (rules S9, T8), a
suggestion in the feature backlog for a future version (rules P8, T8). Several requests can share one record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

DEFECT = "defect"  # the problem database: quality control corrects it (S9, T8)
FEATURE = "feature"  # the feature backlog: a wish for a future version (P8, T8)
KINDS = (DEFECT, FEATURE)

OPEN, CLOSED = "open", "closed"
STATUSES = (OPEN, CLOSED)

# What caused a request's problem, as the technician found it (rule S9): only a programming defect goes to
# quality control; misuse, wrong data and the customer's computer are not accepted there.
PROGRAM_DEFECT = "program_defect"
CAUSES = (PROGRAM_DEFECT, "misuse", "wrong_data", "computer")

MAX_TITLE = 200
MAX_TEXT = 4_000


class ProblemRefused(ValueError):
    """A link or a record the rules refuse; `code` says why (`not_a_defect`, `already_linked`, `closed`, ...)."""

    def __init__(self, code: str, rule: str = ""):
        super().__init__(code)
        self.code = code
        self.rule = rule


@dataclass(frozen=True)
class ProblemRecord:
    problem_id: str  # e.g. PB-2026-0007
    kind: str  # DEFECT | FEATURE
    title: str
    created_at: datetime
    created_by: str  # staff id
    product_id: str | None = None
    version: str | None = None
    status: str = OPEN
    description: str = ""
    resolution: str = ""  # e.g. "fixed in 2026.2", "planned for the next release"
    tickets: tuple[str, ...] = field(default=())  # the linked requests, numbers sorted

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


def problem_id(year: int, sequence: int) -> str:
    """Short and human, like request numbers: PB-2026-0007."""
    return f"PB-{year}-{sequence:04d}"


def kind_for_category(category: str) -> str | None:
    """Rule P8: a bug goes to the problem database, a suggestion to the feature backlog; other categories have
    no default (the technician chooses)."""
    return {"bug": DEFECT, "suggestion": FEATURE}.get(category)


def check_new_record(kind: str, title: str) -> None:
    """A record has a known kind and a title.

    :raise ProblemRefused: `unknown_kind`, `title_required` or `title_too_long`.
    """
    if kind not in KINDS:
        raise ProblemRefused("unknown_kind")
    if not title.strip():
        raise ProblemRefused("title_required")
    if len(title.strip()) > MAX_TITLE:
        raise ProblemRefused("title_too_long")


def check_link(record: ProblemRecord, cause: str, linked_to: str | None) -> None:
    """Rule S9: only a programming defect goes to the problem database (quality control refuses misuse, wrong
    data and computer problems); a request joins one record only, and a closed record takes no new request.

    :raise ProblemRefused: `unknown_cause`, `not_a_defect` (S9), `already_linked`, `closed`.
    """
    if linked_to is not None:
        raise ProblemRefused("already_linked")
    if not record.is_open:
        raise ProblemRefused("closed")
    if record.kind == DEFECT:
        if cause not in CAUSES:
            raise ProblemRefused("unknown_cause", "S9")
        if cause != PROGRAM_DEFECT:
            raise ProblemRefused("not_a_defect", "S9")
