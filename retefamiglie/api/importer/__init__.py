"""Import Open Referral HSDS 3.0 data into the catalogue.

``hsds_input`` reads the input (one object, a list, an API page, a data
package in JSON or CSV) into *records*: one top-level object with everything
nested in it — a service (its organization, service_at_locations with their
location and schedules, languages, phones, cost options, taxonomy terms), an
organization (its phones, locations and services), a service_at_location (its
location, schedules and service) or a taxonomy term. A record is written in
its own savepoint, every object is ``full_clean()``-ed before it is saved, and
a record that fails is refused whole: nothing of it stays in the database.

Objects are matched by their HSDS id (``hsds_id``), so importing the same data
again creates nothing and changes nothing. What the catalogue does not keep is
listed in the report, object by object: fields it has no place for (``HELD``
names the fields each object has a place for), and values it cannot hold, with
the reason. Mapping decisions:

- ``summary`` is the HSDS ``short_description`` when given (not in HSDS 3.0,
  accepted for older data), else the first sentence of ``description``, cut to
  300 characters; ``description`` is kept whole.
- Long texts (descriptions, application process, eligibility, fees,
  accessibility) are kept exactly as written, so they come back unchanged;
  one-line values (names, e-mails, URLs, phones, addresses, codes) lose the
  spaces around them.
- A service is free when it has cost options and every amount is 0, or when it
  has no positive amount and ``fees_description`` says it is free ("gratuito",
  "gratis", "free", …). ``fees_description`` becomes ``cost_description``; with
  none, the priced cost options are written there ("30 EUR, monthly"). Of a
  cost option nothing else is kept.
- ``minimum_age``/``maximum_age`` are whole years: fractions widen the range
  (floor of the minimum, ceiling of the maximum). A maximum above ``MAX_AGE``
  is kept and read as "adults too"; one above ``OLDEST_AGE`` is dropped: no
  upper age.
- Languages keep their codes, lower-cased; codes the catalogue does not offer
  are dropped. The first phone becomes ``phone``; other phones are dropped.
- ``status`` "active" publishes the service; any other status leaves it a draft.
- The top-level object of a record mirrors the input: a field it leaves out is
  cleared, and a service's service_at_locations are those of the input. An
  object nested in a record of another kind (the organization of a service,
  the service of a service_at_location, the services of an organization) often
  comes in short form: a field it leaves out keeps the catalogue's value, and
  its places are added, never removed. Organizations always update this way.
- An organization new to the catalogue is a ``provider``: a third-sector
  association that is no member of the network (providing services does not
  make it one; only joining, by signing the pact, does), left out of the
  public member directory (``is_public`` off). Its services are published,
  coordinators edit them (it has no staff), and the HSDS API serves it
  (``selectors.organisations``); its contacts, published by the data's
  source, stay public (``show_contacts``). An update keeps the status, type,
  slug and flags a coordinator may have chosen, and never hides a member.
- A location takes its ``physical`` address (else the first): ``address_1``,
  ``postal_code``, ``city``. With no name, a location is named after its
  address. Virtual locations are skipped. Coordinates that are no point on
  Earth are dropped; coordinates outside ``CITY_BBOX`` fail
  ``Location.clean()``, so the record is refused with that reason.
- Weekly schedules (``freq`` WEEKLY or empty, ``byday``, ``opens_at``,
  ``closes_at``, interval 1) become opening hours; a schedule limited further
  (``byweekno``, ``bymonthday``, ``byyearday``, another frequency) is skipped.
  Validity dates, counts and notes are not kept. A schedule of the service
  applies at each of its places. The hours of a place mirror the import.
- Taxonomy terms become categories: first by ``hsds_id``; else an existing
  category with the same name (Italian or English, any case) is reused as it
  is — it keeps its own id, so the seeded categories are not duplicated; else a
  new category whose slug is the term's ``code`` when that is a free slug, else
  made from the name. A ``parent_id`` the catalogue does not hold is dropped.
"""

from .conversion import RecordRefusedError, summary_from, why_not_weekly
from .fields import CHILDREN, HELD, SERVICE_SOURCES, audit
from .report import (
    CREATED,
    KINDS,
    REFUSED,
    UNCHANGED,
    UPDATED,
    ImportReport,
    Outcome,
    Progress,
    describe_ignored,
)
from .writer import import_hsds, import_records

__all__ = [
    "CHILDREN",
    "CREATED",
    "HELD",
    "KINDS",
    "REFUSED",
    "SERVICE_SOURCES",
    "UNCHANGED",
    "UPDATED",
    "ImportReport",
    "Outcome",
    "Progress",
    "RecordRefusedError",
    "audit",
    "describe_ignored",
    "import_hsds",
    "import_records",
    "summary_from",
    "why_not_weekly",
]
