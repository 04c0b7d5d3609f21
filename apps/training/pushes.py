"""What training pushes to the job-matching platform (农村劳动力转移就业: RULES.md R9) through apps.integrations'
outbox: a snapshot of each 培训意愿登记 and 企业缺工登记 when it is recorded or changed, written in the same
transaction as the record (a rolled-back write pushes nothing)."""

from __future__ import annotations

from apps.integrations.kinds import Kind, register_kind
from apps.integrations.services import outbound_enqueue
from apps.training.models import ShortageReport, TrainingWillingness

WILLINGNESS = Kind(code="training.willingness", label="培训意愿登记", source="training-willingness")
SHORTAGE = Kind(code="training.shortage", label="企业缺工登记", source="training-shortage")


def register() -> None:
    register_kind(WILLINGNESS)
    register_kind(SHORTAGE)


def willingness_payload(item: TrainingWillingness) -> dict:
    person = item.person
    return {"id": item.pk, "name": person.name, "id_number": person.id_number, "phone": person.phone,
            "occupation_code": item.occupation.code, "occupation": item.occupation.name,
            "target_group": item.target_group, "target_group_display": item.get_target_group_display(),
            "registered_on": item.registered_on.isoformat(), "region_code": item.region_id}


def shortage_payload(report: ShortageReport) -> dict:
    employer = report.employer
    return {"id": report.pk, "employer_uscc": employer.uscc, "employer_name": employer.name,
            "contact_name": employer.contact_name, "contact_phone": employer.contact_phone,
            "occupation_code": report.occupation.code, "occupation": report.occupation.name, "count": report.count,
            "wage_min": str(report.wage_min), "wage_max": str(report.wage_max),
            "reported_on": report.reported_on.isoformat(), "region_code": report.region_id}


def push_willingness(item: TrainingWillingness, *, event: str = "created") -> None:
    outbound_enqueue(kind=WILLINGNESS.code, source_id=item.pk, region_code=item.region_id,
                     payload=willingness_payload(item), event=event)


def push_shortage(report: ShortageReport, *, event: str = "created") -> None:
    outbound_enqueue(kind=SHORTAGE.code, source_id=report.pk, region_code=report.region_id,
                     payload=shortage_payload(report), event=event)
