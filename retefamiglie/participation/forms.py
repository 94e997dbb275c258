"""Forms of the participatory process."""

from typing import Any

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.uploads import UploadField, kind_for_name
from retefamiglie.moderation.selectors import visible
from retefamiglie.network.models import Area, Organisation

from . import selectors
from .models import (
    Action,
    Category,
    Comment,
    Meeting,
    Objective,
    Phase,
    Process,
    Proposal,
)
from .services import ANSWER_STATES

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_KINDS = ("pdf", "jpeg", "png")


def pact_section_choices() -> list[tuple[str, str]]:
    """The sections of the pact a proposal may name.

    Pacts sits to the right of participation, so it offers them through its
    AppConfig (``proposal_pact_sections``, ADR 3 and 15) rather than being
    imported here.
    """
    for config in apps.get_app_configs():
        sections = getattr(config, "proposal_pact_sections", None)
        if sections is not None:
            return [(str(value), str(label)) for value, label in sections()]
    return []


def pact_section_label(code: str) -> str:
    return dict(pact_section_choices()).get(code, code)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ProcessForm(forms.ModelForm):
    class Meta:
        model = Process
        fields = ["title", "summary", "support_threshold"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = [
            "title",
            "description",
            "starts_on",
            "ends_on",
            "order",
            "proposals_open",
            "supports_open",
            "comments_open",
            "meetings_open",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end must come after the start."))
        return cleaned


PhaseFormSet = forms.inlineformset_factory(
    Process, Phase, form=PhaseForm, extra=1, can_delete=True
)


def _place_label(location: Any) -> str:
    return f"{location.name} — {location.address} ({location.organisation.name})"


class MeetingForm(forms.ModelForm):
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One item a line: time, title, speaker, separated by “|”. "
            "For example: 17:30 | Welcome | Sara Bianchi"
        ),
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "summary",
            "phase",
            "starts_at",
            "ends_at",
            "mode",
            "location",
            "place",
            "address",
            "area",
            "online_url",
            "capacity",
            "accessibility",
            "childcare_offered",
            "organiser",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, process: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = Phase.objects.filter(process=process)  # type: ignore[attr-defined]
        self.fields["organiser"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["area"].queryset = Area.objects.order_by("name")  # type: ignore[attr-defined]
        location = self.fields["location"]
        location.queryset = selectors.meeting_places()  # type: ignore[attr-defined]
        location.label_from_instance = _place_label  # type: ignore[attr-defined]
        location.empty_label = _("None: write the place below")  # type: ignore[attr-defined]
        location.help_text = _(
            "The places of the network's members, with their address and map. "
            "Type a name to jump to it."
        )
        self.fields["place"].help_text = _(
            "Without a place of the network, write where; with one, the room "
            "(e.g. Sala 2)."
        )
        self.fields["address"].help_text = _(
            "Leave empty to use the address of the place of the network."
        )
        if self.instance.pk and not self.is_bound:
            self.initial["agenda"] = "\n".join(
                f"{item.starts_at:%H:%M} | {item.title} | {item.speaker}".rstrip(" |")
                for item in self.instance.agenda.all()
            )

    def clean_agenda(self) -> list[dict[str, Any]]:
        items = []
        for number, line in enumerate(self.cleaned_data["agenda"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            try:
                field = forms.TimeField()
                starts_at = field.clean(parts[0])
            except ValidationError:
                raise ValidationError(
                    _("Line %(number)d: start with a time, e.g. 17:30."),
                    params={"number": number},
                ) from None
            if len(parts) < 2 or not parts[1]:
                raise ValidationError(
                    _("Line %(number)d: write the item after the time."),
                    params={"number": number},
                )
            items.append(
                {
                    "starts_at": starts_at,
                    "title": parts[1][:200],
                    "speaker": (parts[2] if len(parts) > 2 else "")[:120],
                }
            )
        return items

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The end must come after the start."))
        return cleaned


class AttendanceForm(forms.Form):
    families_count = forms.IntegerField(
        label=_("Families"), min_value=0, required=False
    )
    members_count = forms.IntegerField(
        label=_("Members of the network"), min_value=0, required=False
    )
    citizens_count = forms.IntegerField(
        label=_("Citizens"), min_value=0, required=False
    )
    officers_count = forms.IntegerField(
        label=_("Municipal officers"), min_value=0, required=False
    )
    attended = forms.MultipleChoiceField(
        label=_("Registered people who came"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, registrations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        field.choices = [(str(r.pk), f"{r.name} ({r.seats})") for r in registrations]  # type: ignore[attr-defined]
        if not field.choices:  # type: ignore[attr-defined]
            del self.fields["attended"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kinds = ["families_count", "members_count", "citizens_count", "officers_count"]
        if all(cleaned.get(kind) is None for kind in kinds) and not self.errors:
            raise ValidationError(
                _("Write how many people came, at least of one kind.")
            )
        return cleaned


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Write the minutes.")},
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    proposals = forms.ModelMultipleChoiceField(
        label=_("Proposals discussed or produced"),
        queryset=Proposal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, process: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = visible(  # type: ignore[attr-defined]
            Proposal.objects.filter(process=process).order_by("title")
        )


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title of the attachment"), max_length=200)
    # Type, size, first bytes and content are checked by core.uploads.
    file = UploadField(
        label=_("File"), kinds=ATTACHMENT_KINDS, max_size=MAX_ATTACHMENT_BYTES
    )

    @property
    def content_type(self) -> str:
        kind = kind_for_name(self.cleaned_data["file"].name)
        return kind.content_type if kind else "application/octet-stream"


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["title", "body", "category", "area", "pact_section", "objective"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "title": _("In a few words: what should change?"),
            "body": _(
                "What you propose, why, and for whom. Never write children's names."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["area"].empty_label = _("The whole city")  # type: ignore[attr-defined]
        self.fields["objective"].queryset = Objective.objects.order_by("title")  # type: ignore[attr-defined]
        self.fields["objective"].empty_label = _("No objective in particular")  # type: ignore[attr-defined]
        self.fields["pact_section"] = forms.ChoiceField(
            label=_("Pact section it would change"),
            choices=[("", _("None")), *pact_section_choices()],
            required=False,
        )
        self.fields["title"].error_messages["required"] = _(
            "Give the proposal a title."
        )
        self.fields["body"].error_messages["required"] = _("Write what you propose.")


class CommentForm(forms.ModelForm):
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Comment
        fields = ["stance", "body"]
        widgets = {
            "stance": forms.RadioSelect,
            "body": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["body"].error_messages["required"] = _("Write your comment.")


class AnswerForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Answer"),
        choices=[(s.value, s.label) for s in ANSWER_STATES],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Public answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the proposal is rejected: say why."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("state") == Proposal.State.REJECTED
            and not (cleaned.get("answer") or "").strip()
        ):
            self.add_error("answer", _("Say why the proposal is rejected."))
        return cleaned


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into"), queryset=Proposal.objects.none()
    )

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = visible(  # type: ignore[attr-defined]
            Proposal.objects.filter(
                process=proposal.process,
                state__in=[Proposal.State.PUBLISHED, Proposal.State.EVALUATING],
            )
            .exclude(pk=proposal.pk)
            .order_by("title")
        )


class ProposalFilterForm(forms.Form):
    """Filters of the proposals list, sent by GET (Italian names: shared links)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    stato = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *Proposal.State.choices],
    )
    categoria = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *Category.choices],
    )
    zona = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All areas"),
    )
    fase = forms.ModelChoiceField(
        label=_("Phase"),
        queryset=Phase.objects.none(),
        required=False,
        empty_label=_("All phases"),
    )
    ordine = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("recenti", _("Newest first")),
            ("sostenute", _("Most supported first")),
            ("commentate", _("Most commented first")),
        ],
    )

    def __init__(self, *args: Any, process: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if process is not None:
            self.fields["fase"].queryset = Phase.objects.filter(process=process)  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "state": data.get("stato") or "",
            "category": data.get("categoria") or "",
            "area": data.get("zona"),
            "phase": data.get("fase"),
            "order": data.get("ordine") or "recenti",
        }

    def query(self) -> str:
        if not self.is_bound or not self.is_valid():
            return ""
        return (self.cleaned_data.get("q") or "").strip()


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["title", "description", "area"]


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["title", "description", "owner"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            status=Organisation.Status.ACTIVE
        ).order_by("name")


class ActionUpdateForm(forms.Form):
    body = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what happened.")},
    )
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "inputmode": "numeric"}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
