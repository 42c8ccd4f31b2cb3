"""The whole story, driven through a client that a third-party generator (openapi-python-client)
made from the committed spec: a resident files, the company works, the city dispatcher calls, the
inspection finds a violation, orders, finds the order ignored and fines. No hand-written HTTP:
every call goes through the generated package `dispatch_client`.

Usage: story.py BASE_URL (the server runs the demo city)."""

import io
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone

from dispatch_client import AuthenticatedClient, Client
from dispatch_client.api.auth import sign_in
from dispatch_client.api.complaints import (
    create_complaint,
    get_complaint,
    list_complaint_events,
    list_complaints,
    transition_complaint,
    upload_attachment,
)
from dispatch_client.api.public import get_scorecard
from dispatch_client.api.registries import list_categories, search_buildings
from dispatch_client.models import (
    AcceptTransition,
    AcceptTransitionType,
    AssignExecutorTransition,
    AssignExecutorTransitionType,
    CallOutcome,
    CheckComplianceTransition,
    CheckComplianceTransitionType,
    ComplaintDto,
    CreateComplaintRequest,
    CreatedComplaint,
    IssueOrderTransition,
    IssueOrderTransitionType,
    LoginRequest,
    RecordCallTransition,
    RecordCallTransitionType,
    RecordFindingsTransition,
    RecordFindingsTransitionType,
    Offender,
    RecordFineTransition,
    RecordFineTransitionType,
    ReportDoneTransition,
    ReportDoneTransitionType,
    Status,
    TokenResponse,
)
from dispatch_client.types import File

PASSWORD = "demo2026"


def check(condition, message):
    if not condition:
        raise SystemExit(f"story: {message}")


def signed_in(base, login):
    answer = sign_in.sync(client=Client(base_url=base), body=LoginRequest(login=login, password=PASSWORD))
    check(isinstance(answer, TokenResponse), f"{login} signs in: {answer}")
    return AuthenticatedClient(base_url=base, token=answer.access_token)


def step(client, complaint, action):
    """One transition with the complaint's version as If-Match and a fresh Idempotency-Key."""
    answer = transition_complaint.sync_detailed(
        complaint.id,
        client=client,
        body=action,
        if_match=f'"{complaint.version}"',
        idempotency_key=str(uuid.uuid4()),
    )
    check(isinstance(answer.parsed, ComplaintDto), f"{type(action).__name__}: {answer.status_code} {answer.content!r}")
    check(answer.headers.get("etag") == f'"{answer.parsed.version}"', "the ETag is the version")
    return answer.parsed


def main(base):
    anonymous = Client(base_url=base)
    buildings = search_buildings.sync(client=anonymous, q="ленина")
    check(buildings, "buildings are found by address")
    building = next(b for b in buildings if b.company_id)
    category = next(c for c in list_categories.sync(client=anonymous) if not c.emergency)

    # A resident files.
    resident = signed_in(base, "resident@demo.test")
    filed = create_complaint.sync(
        client=resident,
        body=CreateComplaintRequest(
            building_id=building.id,
            category_id=category.id,
            flat="45",
            description="Третий день нет горячей воды во всём подъезде.",
        ),
        idempotency_key=str(uuid.uuid4()),
    )
    check(isinstance(filed, CreatedComplaint), f"the complaint is filed: {filed}")
    complaint = filed.complaint
    check(complaint.status == Status.REGISTERED, "it is registered with the company")

    # The company works it, with a photo of the work.
    company = signed_in(base, "company@demo.test")
    queue = list_complaints.sync(client=company, limit=100)
    check(any(c.id == complaint.id for c in queue.items), "it is in the company's queue")
    complaint = step(company, complaint, AcceptTransition(type_=AcceptTransitionType.ACCEPT))
    complaint = step(
        company,
        complaint,
        AssignExecutorTransition(type_=AssignExecutorTransitionType.ASSIGN_EXECUTOR, executor="Бригада 3"),
    )
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    attached = upload_attachment.sync_detailed(
        complaint.id,
        client=company,
        body=File(payload=io.BytesIO(pdf), file_name="act.pdf", mime_type="application/octet-stream"),
        filename="act.pdf",
        idempotency_key=str(uuid.uuid4()),
    )
    check(attached.status_code == 201, f"the act is attached: {attached.status_code} {attached.content!r}")
    complaint = step(
        company,
        complaint,
        ReportDoneTransition(type_=ReportDoneTransitionType.REPORT_DONE, note="Заменили смеситель"),
    )
    check(complaint.status == Status.AWAITING_VERIFICATION, "it awaits verification")

    # The city dispatcher calls: not done. The inspection goes.
    dispatcher = signed_in(base, "dispatcher@demo.test")
    complaint = get_complaint.sync(complaint.id, client=dispatcher)
    complaint = step(
        dispatcher,
        complaint,
        RecordCallTransition(type_=RecordCallTransitionType.RECORD_CALL, outcome=CallOutcome.NOT_DONE, comment="Воды нет"),
    )
    check(complaint.status == Status.UNDER_INSPECTION, "it is with the inspection")

    # The inspection finds a violation, orders, finds the order ignored, and fines.
    inspector = signed_in(base, "inspector@demo.test")
    complaint = get_complaint.sync(complaint.id, client=inspector)
    complaint = step(
        inspector,
        complaint,
        RecordFindingsTransition(
            type_=RecordFindingsTransitionType.RECORD_FINDINGS, violation=True, findings="Горячей воды нет"
        ),
    )
    due = datetime.now(timezone.utc) + timedelta(seconds=3)
    complaint = step(
        inspector,
        complaint,
        IssueOrderTransition(type_=IssueOrderTransitionType.ISSUE_ORDER, due_at=due, text="Восстановить ГВС"),
    )
    check(complaint.order is not None and complaint.round_ == 2, "an order opens the next round")
    time.sleep(4)
    complaint = get_complaint.sync(complaint.id, client=inspector)
    complaint = step(
        inspector,
        complaint,
        CheckComplianceTransition(type_=CheckComplianceTransitionType.CHECK_COMPLIANCE, complied=False),
    )
    complaint = step(
        inspector,
        complaint,
        RecordFineTransition(
            type_=RecordFineTransitionType.RECORD_FINE,
            article="19.5 ч.1",
            offender=Offender.LEGAL_ENTITY,
            amount_rub=15000,
        ),
    )
    check(complaint.status == Status.UNDER_INSPECTION, "it stays open until fixed")

    history = [e.kind.value for e in list_complaint_events.sync(complaint.id, client=resident)]
    expected = [
        "registered", "accept", "assign_executor", "report_done", "record_call",
        "record_findings", "issue_order", "check_compliance", "record_fine",
    ]
    check(history == expected, f"the history is the story: {history}")
    card = get_scorecard.sync(client=anonymous)
    check(card is not None and card.companies, "the public scorecard answers")
    print("story: the whole story ran through the generated Python client")


if __name__ == "__main__":
    main(sys.argv[1])
