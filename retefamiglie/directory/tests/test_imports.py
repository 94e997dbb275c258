"""The writes an import from another catalogue makes (services/imports.py)."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError

from retefamiglie.directory.models import OpeningHours
from retefamiglie.directory.services import imports
from retefamiglie.network.models import Organisation

from .factories import CategoryFactory, LocationFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_a_new_organisation_is_a_provider_and_an_update_keeps_its_status():
    """Importing never makes a member, and never hides or demotes one."""
    hsds_id = uuid.uuid4()
    organisation, action = imports.imported_organisation_save(
        hsds_id=hsds_id, values={"name": "Caritas Lucca"}
    )
    assert action == imports.CREATED
    assert organisation.status == Organisation.Status.PROVIDER
    assert organisation.is_public is False
    assert organisation.show_contacts is True
    assert organisation.slug == "caritas-lucca"

    organisation.status = Organisation.Status.ACTIVE
    organisation.is_public = True
    organisation.save()
    _again, action = imports.imported_organisation_save(
        hsds_id=hsds_id, values={"name": "Caritas Lucca"}
    )
    assert action == imports.UNCHANGED
    renamed, action = imports.imported_organisation_save(
        hsds_id=hsds_id, values={"name": "Caritas diocesana"}
    )
    assert action == imports.UPDATED
    assert (renamed.status, renamed.is_public, renamed.slug) == (
        Organisation.Status.ACTIVE,
        True,
        "caritas-lucca",
    )


def test_a_service_counts_as_updated_when_only_its_categories_change():
    service = ServiceFactory()
    values = {"name": service.name, "organisation": service.organisation}
    _same, action = imports.imported_service_save(
        hsds_id=service.hsds_id, values=values, categories=None
    )
    assert action == imports.UNCHANGED
    category = CategoryFactory(slug="scuola-studio")
    _changed, action = imports.imported_service_save(
        hsds_id=service.hsds_id, values=values, categories=[category]
    )
    assert action == imports.UPDATED
    assert list(service.categories.all()) == [category]


def test_invalid_values_are_refused_and_nothing_is_saved():
    with pytest.raises(ValidationError):
        imports.imported_location_save(
            hsds_id=uuid.uuid4(),
            values={"organisation": LocationFactory().organisation, "name": ""},
        )


def test_a_place_asks_for_new_hours_only_when_they_change():
    service = ServiceFactory(location=False)
    location = LocationFactory(organisation=service.organisation)
    hsds_id = uuid.uuid4()
    values = {"service": service, "location": location, "description": ""}
    hours = {(0, dt.time(9), dt.time(12))}
    place, action, anew = imports.imported_place_save(
        hsds_id=hsds_id, values=values, hours=hours
    )
    assert (action, anew) == (imports.CREATED, True)
    imports.opening_hours_add(
        place=place, weekday=0, opens_at=dt.time(9), closes_at=dt.time(12)
    )
    _place, action, anew = imports.imported_place_save(
        hsds_id=hsds_id, values=values, hours=hours
    )
    assert (action, anew) == (imports.UNCHANGED, False)
    _place, action, anew = imports.imported_place_save(
        hsds_id=hsds_id, values=values, hours={(1, dt.time(9), dt.time(12))}
    )
    assert (action, anew) == (imports.UPDATED, True)
    with pytest.raises(ValidationError):
        imports.opening_hours_add(
            place=place, weekday=2, opens_at=dt.time(12), closes_at=dt.time(9)
        )
    assert OpeningHours.objects.filter(service_at_location=place).count() == 1
