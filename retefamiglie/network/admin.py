from django.contrib import admin

from .models import Area, Organisation, OrganisationStaff


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "latitude", "longitude"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class StaffInline(admin.TabularInline):
    model = OrganisationStaff
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "area", "status", "is_demo"]
    list_filter = ["type", "status", "area", "is_demo"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StaffInline]
