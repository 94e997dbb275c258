"""Admin with the change history of the pact's records (who, when, what)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Commitment,
    JoinApplication,
    NetworkReport,
    PactSection,
    PactVersion,
    Report,
    Signature,
)


class SectionInline(admin.StackedInline):
    model = PactSection
    extra = 0


@admin.register(PactVersion)
class PactVersionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "status", "valid_from", "valid_until"]
    list_filter = ["status"]
    inlines = [SectionInline]


@admin.register(PactSection)
class PactSectionAdmin(SimpleHistoryAdmin):
    list_display = ["version", "order", "title"]
    list_filter = ["version"]


@admin.register(Signature)
class SignatureAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "version", "signer_name", "signed_at"]
    list_filter = ["version"]
    readonly_fields = ["signed_at"]


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "status", "due_date"]
    list_filter = ["status", "objective"]
    search_fields = ["title", "organisation__name"]


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "year", "period", "status"]
    list_filter = ["year", "period", "status"]


@admin.register(NetworkReport)
class NetworkReportAdmin(SimpleHistoryAdmin):
    list_display = ["year", "period", "status", "published_at"]


@admin.register(JoinApplication)
class JoinApplicationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "status", "created_at"]
    list_filter = ["status", "type"]
