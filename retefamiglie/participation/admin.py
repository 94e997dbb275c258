from django.contrib import admin

from .models import Action, Meeting, Objective, Phase, Process, Proposal
from .search import proposal_refresh_search_document


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]
    inlines = [PhaseInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Meetings without their registrations: those hold families' addresses."""

    list_display = ["title", "starts_at", "status"]
    list_filter = ["status", "mode"]
    exclude = ["proposals"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "supports_count", "created_at"]
    list_filter = ["state", "category"]
    raw_id_fields = ["author", "answered_by", "merged_into", "objective"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        proposal_refresh_search_document(obj)


class ActionInline(admin.StackedInline):
    model = Action
    extra = 0


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["title"]
    inlines = [ActionInline]
