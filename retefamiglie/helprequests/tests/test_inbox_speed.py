"""The staff inbox stays fast with thousands of requests (ADR 0029)."""

import pytest
from django.db import connection, transaction
from django.utils import dateformat, timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape

from retefamiglie.core.testing import with_mfa
from retefamiglie.helprequests import selectors

from .factories import HelpRequestFactory, ReferralFactory

pytestmark = pytest.mark.django_db

INBOX = "/gestione/richieste/"


def plan_of(queryset) -> str:
    with transaction.atomic():
        # The table of a test is tiny: forbid the sequential scan and the sort to
        # see whether the index can serve the order at all.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
        return queryset.explain()


# SQLite binds the CASE's values as parameters, which never match an index's
# expression: there the order is sorted, as before; production is PostgreSQL.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL planner")
@pytest.mark.parametrize("status", ["", "open"])
def test_the_inbox_order_is_read_from_an_index_not_sorted(people, status):
    queryset = selectors.inbox_for(user=people["coordinator"], status=status)[:25]
    assert "helprequest_inbox_order" in plan_of(queryset)


@pytest.mark.parametrize("language", ["it", "en"])
def test_an_inbox_row_shows_what_the_models_say(client, people, organisation, language):
    help_request = HelpRequestFactory(
        kinds=["school", "parenting"], urgency="high", status="declined"
    )
    referral = ReferralFactory(
        request=help_request, organisation=organisation, status="declined"
    )
    client.force_login(with_mfa(people["coordinator"]))
    prefix = "" if language == "it" else "/en"
    html = client.get(f"{prefix}{INBOX}").content.decode()
    with translation.override(language):
        created = timezone.localtime(help_request.created_at)
        expected = [
            f'<a href="{help_request.get_absolute_url()}">{help_request.reference}</a>',
            f'datetime="{dateformat.format(created, "Y-m-d\\TH:i:sO")}"',
            f'title="{date_format(created, "DATETIME_FORMAT")}"',
            f"<td>{escape(', '.join(help_request.get_kinds_display()))}</td>",
            '<span class="badge bg-danger">'
            f"{escape(help_request.get_urgency_display())}</span>",
            f"<strong>{escape(help_request.get_status_display())}</strong>",
            f"{escape(organisation.name)} <span "
            'class="text-muted small">'
            f"({escape(referral.get_status_display())})</span>",
        ]
    for text in expected:
        assert text in html
