"""Admin of the catalogue: categories are managed here as data, for now.

Bookings hold families' personal data and are not listed here: staff read them
on the event's bookings page, which checks who may.
"""

from django.contrib import admin

from .models import Category, Event, Location, OpeningHours, Service, ServiceAtLocation
from .services.events import event_refresh_occurrences


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "parent", "order"]
    list_editable = ["order"]
    list_filter = ["parent"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "area", "organisation", "latitude", "longitude"]
    list_filter = ["area"]
    search_fields = ["name", "address", "organisation__name"]
    list_select_related = ["area", "organisation"]
    autocomplete_fields = ["organisation"]


class ServiceAtLocationInline(admin.TabularInline):
    model = ServiceAtLocation
    extra = 0
    autocomplete_fields = ["location"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "status", "featured", "is_free", "is_demo"]
    list_filter = ["status", "featured", "is_free", "is_demo", "categories"]
    search_fields = ["name", "summary", "organisation__name"]
    list_select_related = ["organisation"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["categories"]
    autocomplete_fields = ["organisation"]
    inlines = [ServiceAtLocationInline]


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    list_display = ["service_at_location", "weekday", "opens_at", "closes_at"]
    list_select_related = [
        "service_at_location__service",
        "service_at_location__location",
    ]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "organisation",
        "starts_at",
        "rrule",
        "status",
        "featured",
        "capacity",
        "booking_enabled",
        "is_demo",
    ]
    list_filter = ["status", "featured", "booking_enabled", "is_demo", "categories"]
    search_fields = ["name", "summary", "organisation__name"]
    list_select_related = ["organisation"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["categories"]
    autocomplete_fields = ["organisation", "location"]
    readonly_fields = ["last_starts_at"]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # The dates of a recurring event follow its rule, wherever it is edited.
        event_refresh_occurrences(event=form.instance)
