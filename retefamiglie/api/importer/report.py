"""What an import did, record by record, and what of the input it left out."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from retefamiglie.directory.services.imports import CREATED, UNCHANGED, UPDATED

from ..hsds_input import WHOLE, Ignored

# Called after each record with (records done, records in all).
Progress = Callable[[int, int], None]

REFUSED = "refused"
KINDS = (
    "organization",
    "location",
    "service",
    "service_at_location",
    "taxonomy_term",
)


@dataclass
class Outcome:
    kind: str
    hsds_id: str
    name: str
    action: str
    reason: str = ""


def _who(kind: str, hsds_id: str, name: str) -> str:
    who = f"{kind} {hsds_id}".rstrip()
    return f"{who} ({name})" if name else who


def describe_ignored(entries: Iterable[Ignored]) -> list[str]:
    """One line per object for fields without a place, one per other entry."""
    lines: list[str] = []
    fields: dict[tuple[str, str, str], list[str]] = {}
    for entry in entries:
        who = (entry.kind, entry.hsds_id, entry.name)
        if entry.reason:
            what = _who(*who) + ("" if entry.field == WHOLE else f", {entry.field}")
            lines.append(f"{what}: {entry.reason}")
        else:
            fields.setdefault(who, []).append(entry.field)
    lines.extend(
        _("%(object)s: %(fields)s: the catalogue has no place for these fields")
        % {"object": _who(*who), "fields": ", ".join(names)}
        for who, names in fields.items()
    )
    return lines


@dataclass
class ImportReport:
    """What an import created, updated, left unchanged, refused and left out."""

    outcomes: list[Outcome] = field(default_factory=list)
    # What of the input the catalogue does not keep, and why.
    ignored: list[Ignored] = field(default_factory=list)

    def of(self, action: str, kind: str | None = None) -> list[Outcome]:
        return [
            o
            for o in self.outcomes
            if o.action == action and (kind is None or o.kind == kind)
        ]

    @property
    def created(self) -> list[Outcome]:
        return self.of(CREATED)

    @property
    def updated(self) -> list[Outcome]:
        return self.of(UPDATED)

    @property
    def unchanged(self) -> list[Outcome]:
        return self.of(UNCHANGED)

    @property
    def refused(self) -> list[Outcome]:
        return self.of(REFUSED)

    @property
    def notes(self) -> list[str]:
        """What is not kept, as the operator reads it."""
        return describe_ignored(self.ignored)

    def ignored_keys(self) -> set[tuple[str, str, str]]:
        """``(kind, hsds_id, field)`` of everything not kept."""
        return {entry.key for entry in self.ignored}

    def counts(self) -> dict[str, dict[str, int]]:
        """``{kind: {action: n}}`` for every kind of object."""
        table = {k: dict.fromkeys((CREATED, UPDATED, UNCHANGED), 0) for k in KINDS}
        for o in self.outcomes:
            if o.action != REFUSED:
                table[o.kind][o.action] += 1
        return table

    def lines(self) -> list[str]:
        """The report as text lines, for the management command."""
        out = ["kind                 created  updated  unchanged"]
        for kind, n in self.counts().items():
            out.append(
                f"{kind:<20} {n[CREATED]:>7}  {n[UPDATED]:>7}  {n[UNCHANGED]:>9}"
            )
        out.append(f"refused records: {len(self.refused)}")
        for o in self.refused:
            out.append(f"  refused {o.kind} {o.hsds_id} ({o.name}): {o.reason}")
        for action in (CREATED, UPDATED):
            out.extend(
                f"  {action} {o.kind} {o.hsds_id} ({o.name})" for o in self.of(action)
            )
        out.extend(f"  not kept: {line}" for line in self.notes)
        return out
