"""Examples of the URL parameters of the pact's patterns (tests/wholesite)."""

from typing import Any

from .factories import (
    CommitmentFactory,
    PactVersionFactory,
    ReportFactory,
    SectionCommentFactory,
)


def url_examples(organisation: Any, people: dict[str, Any]) -> dict[str, dict]:
    version = PactVersionFactory(in_force=True)
    comment = SectionCommentFactory(section=version.sections.first())
    commitment = CommitmentFactory(organisation=organisation, version=version)
    report = ReportFactory(organisation=organisation)
    number = {"number": version.number}
    period = {"year": report.year, "period": report.period}
    return {
        "pacts:version": number,
        "pacts:version_print": number,
        "pacts:version_pdf": number,
        "pacts:version_diff": number,
        "pacts:sign": number,
        "pacts:comment": {**number, "section_id": comment.section_id},
        "pacts:version_edit": number,
        "pacts:version_transition": number,
        "pacts:comment_answer": {"comment_id": comment.pk},
        # No application: its pages must answer 404 to everyone.
        "pacts:application": {"pk": 999999},
        "pacts:application_review": {"pk": 999999},
        "pacts:commitment": {"pk": commitment.pk},
        "pacts:commitment_edit": {"pk": commitment.pk},
        "pacts:report": {"pk": report.pk},
        "pacts:report_edit": {"pk": report.pk},
        "pacts:network_report": period,
        "pacts:network_report_csv": period,
        "pacts:network_report_pdf": period,
    }
