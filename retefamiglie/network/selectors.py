from django.db.models import Count, QuerySet

from .models import Area, Organisation, OrganisationStaff, StaffInvitation


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


def public_members(
    *, type: str | None = None, area: Area | None = None
) -> QuerySet[Organisation]:
    """Active members shown in the public directory, optionally filtered."""
    queryset = Organisation.objects.filter(
        is_public=True, status=Organisation.Status.ACTIVE
    ).select_related("area")
    if type:
        queryset = queryset.filter(type=type)
    if area is not None:
        queryset = queryset.filter(area=area)
    return queryset.order_by("name", "pk")


def public_member_profiles() -> QuerySet[Organisation]:
    """Members whose public page exists: active ones and those that left.

    The pact app's signatures and commitments are prefetched by their reverse
    names, so the network app needs no import of it.
    """
    return (
        Organisation.objects.filter(
            is_public=True,
            status__in=[Organisation.Status.ACTIVE, Organisation.Status.LEFT],
        )
        .select_related("area")
        .prefetch_related("signatures__version", "commitments")
    )


def staff_of(*, organisation: Organisation) -> QuerySet[OrganisationStaff]:
    return (
        OrganisationStaff.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__email")
    )


def pending_invitations(*, organisation: Organisation) -> QuerySet[StaffInvitation]:
    return StaffInvitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True
    ).select_related("invited_by")
