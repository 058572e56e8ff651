"""Enrolling in a credential by a target date: the one rule the chat's Enroll and the Mini App's Enroll share.

A new enrollment records the "enrolled" feedback and puts a check on the reminder calendar; enrolling again in
an active one only moves its target. Returned as an outcome for each caller to word its own way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.nudges.scheduler import ensure_scheduled
from bot.services import Services
from catalog.schema import Credential
from store.models import Enrollment


class Result(StrEnum):
    ENROLLED = "enrolled"
    MOVED = "moved"  # already enrolled: the target date moved
    GONE = "gone"  # the credential is no longer in the catalog
    PAST = "past"  # the target date is today or earlier


@dataclass(frozen=True, slots=True)
class Outcome:
    result: Result
    credential: Credential | None = None
    enrollment: Enrollment | None = None
    pace: float = 0.0  # hours a week to finish by the target


def enroll_by(services: Services, user_id: int, credential_id: str, target: date) -> Outcome:
    credential = services.credential(credential_id)
    if credential is None:
        return Outcome(Result.GONE)
    today = services.today()
    if target <= today:
        return Outcome(Result.PAST, credential)
    store = services.store
    before = [x for x in store.enrollments(user_id) if x.credential_id == credential.id]
    e = store.enroll(user_id, credential.id, credential.hours, today, target, services.now())
    weeks = max((target - today).days / 7, 1 / 7)
    pace = credential.hours / weeks
    if before and before[0].status.active:
        return Outcome(Result.MOVED, credential, e, pace)
    store.add_feedback(user_id, credential.id, "enrolled", services.now())
    ensure_scheduled(services, user_id, services.now())
    return Outcome(Result.ENROLLED, credential, e, pace)
