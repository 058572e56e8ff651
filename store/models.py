"""Plain records read from the store (frozen, so handlers cannot mutate persistence by accident)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any


class EnrollmentStatus(StrEnum):
    """Statuses from Open Badges 3.0 (result status of an achievement)."""

    ENROLLED = "Enrolled"
    IN_PROGRESS = "InProgress"
    COMPLETED = "Completed"
    WITHDREW = "Withdrew"
    ON_HOLD = "OnHold"

    @property
    def active(self) -> bool:
        return self in (EnrollmentStatus.ENROLLED, EnrollmentStatus.IN_PROGRESS)


@dataclass(frozen=True, slots=True)
class User:
    id: int
    chat_id: int
    first_name: str
    draft: dict[str, Any]
    step: str
    history: tuple[str, ...]
    pending: dict[str, Any]
    timezone: str
    cadence: str
    quiet_start: str
    quiet_end: str
    paused: bool
    snooze_until: str
    blocked: bool


@dataclass(frozen=True, slots=True)
class Enrollment:
    id: int
    user_id: int
    credential_id: str
    status: EnrollmentStatus
    started_on: date
    target_date: date
    hours_total: float
    hours_logged: float
    modules_done: int
    updated_at: str

    @property
    def share_done(self) -> float:
        return min(1.0, self.hours_logged / self.hours_total) if self.hours_total else 0.0


@dataclass(frozen=True, slots=True)
class ProgressEntry:
    id: int
    enrollment_id: int
    at: str
    kind: str
    hours: float
    note: str
