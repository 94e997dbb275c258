from django.db.models import Count, QuerySet

from .models import Area, Organisation, OrganisationStaff


def memberships_for_user(*, user) -> QuerySet[OrganisationStaff]:
    return (
        OrganisationStaff.objects.filter(user=user)
        .select_related("organisation", "organisation__area")
        .order_by("organisation__name")
    )


def organisations_for_staff_area(*, user) -> QuerySet[Organisation]:
    """The organisations a person manages; all of them for coordinators."""
    queryset = Organisation.objects.select_related("area").annotate(
        staff_count=Count("staff", distinct=True)
    )
    if user.is_superuser or user.is_coordinator or user.is_municipal_officer:
        return queryset.order_by("name")
    return queryset.filter(staff__user=user).order_by("name")


def areas() -> QuerySet[Area]:
    return Area.objects.order_by("name")
