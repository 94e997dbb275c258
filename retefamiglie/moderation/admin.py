from django.contrib import admin

from .models import Case, Decision, Flag, Suspension


class FlagInline(admin.TabularInline):
    model = Flag
    extra = 0
    readonly_fields = ["reporter", "reason", "note", "decision", "created_at"]
    can_delete = False


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    readonly_fields = ["actor", "outcome", "reason", "flags_settled", "created_at"]
    can_delete = False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "open_flags", "last_flagged_at"]
    list_filter = ["status", "content_type"]
    readonly_fields = ["content_type", "object_id", "open_flags", "last_flagged_at"]
    inlines = [FlagInline, DecisionInline]


@admin.register(Suspension)
class SuspensionAdmin(admin.ModelAdmin):
    list_display = ["person", "scope", "created_at", "lifted_at"]
    list_filter = ["scope"]
    raw_id_fields = ["person", "created_by", "lifted_by"]
