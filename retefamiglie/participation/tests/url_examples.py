"""Examples of the URL parameters of participation's patterns (tests/wholesite)."""

from typing import Any

from .factories import (
    ActionFactory,
    MeetingFactory,
    ProcessFactory,
    ProposalFactory,
    RegistrationFactory,
)


def url_examples(organisation: Any, people: dict[str, Any]) -> dict[str, dict]:
    process = ProcessFactory()
    meeting = MeetingFactory(process=process)
    registration = RegistrationFactory(meeting=meeting)
    proposal = ProposalFactory(process=process, author=people["family"])
    action = ActionFactory(owner=organisation)
    process_slug = {"slug": process.slug}
    meeting_slug = {"slug": meeting.slug}
    token = {"token": registration.token}
    proposal_pk = {"pk": proposal.pk}
    objective_slug = {"slug": action.objective.slug}
    return {
        "participation:process": process_slug,
        "participation:meeting_ics": meeting_slug,
        "participation:meeting": meeting_slug,
        "participation:minutes_print": meeting_slug,
        "participation:minutes_pdf": meeting_slug,
        "participation:registration": token,
        "participation:registration_confirm": token,
        "participation:registration_cancel": token,
        "participation:proposal": proposal_pk,
        "participation:proposal_edit": proposal_pk,
        "participation:proposal_withdraw": proposal_pk,
        "participation:proposal_support": proposal_pk,
        "participation:proposal_comment": proposal_pk,
        "participation:proposal_answer": proposal_pk,
        "participation:proposal_merge": proposal_pk,
        "participation:objective": objective_slug,
        "participation:action_update": {**objective_slug, "pk": action.pk},
        "participation:manage_process": process_slug,
        "participation:manage_meeting": meeting_slug,
        "participation:manage_meeting_publish": meeting_slug,
        "participation:manage_report": meeting_slug,
        "participation:manage_action_create": objective_slug,
    }
