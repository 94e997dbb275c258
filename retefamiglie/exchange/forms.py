from django import forms
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.uploads import IMAGES, accept_attribute, check_upload, describe
from retefamiglie.core.vocabularies import FitsAgeBand
from retefamiglie.network.models import Area

from .models import Category, Listing

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos at once, each checked by ``core.uploads`` (type, size, bytes)."""

    widget = MultipleFileInput(attrs={"accept": accept_attribute(IMAGES)})

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", describe(IMAGES, MAX_UPLOAD_BYTES))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, list | tuple) else [data]
        cleaned = [single(item, initial) for item in files if item]
        for upload in cleaned:
            check_upload(upload, kinds=IMAGES, max_size=MAX_UPLOAD_BYTES)
        return cleaned


class JoinForm(forms.Form):
    adult = forms.BooleanField(
        label=_("I am 18 or over"),
        required=False,
    )
    accept_terms = forms.BooleanField(
        label=_("I accept the terms of the exchange"),
        required=False,
        help_text=_(
            "Nothing is sold: things, services and experiences are given, lent or "
            "swapped for free. No child's name, photo or school is ever written or "
            "shown. Meet in a public place for handovers."
        ),
    )


class ListingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Do you offer or ask?"),
        choices=Listing.Kind.choices,
        widget=forms.RadioSelect,
    )
    what = forms.ChoiceField(
        label=_("What is it?"), choices=Listing.What.choices, widget=forms.RadioSelect
    )
    how = forms.ChoiceField(
        label=_("How?"), choices=Listing.How.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=120)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    age_band = forms.ChoiceField(
        label=_("Fits children aged"), choices=FitsAgeBand.choices
    )
    size = forms.CharField(
        label=_("Size (clothes and shoes)"),
        max_length=20,
        required=False,
        help_text=_("For example 92 cm, 2–3 years, or shoe size 24."),
    )
    condition = forms.ChoiceField(
        label=_("Condition (things)"),
        choices=[("", "—"), *Listing.Condition.choices],
        required=False,
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Never write a child's name or school. Phone numbers and e-mail "
            "addresses are hidden on the public page: use private messages."
        ),
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.all(),
        help_text=_("Only the area is shown, never an address."),
    )
    pickup_window = forms.CharField(
        label=_("When it can be picked up (optional)"),
        max_length=120,
        required=False,
        help_text=_("For example: weekday evenings after 6 pm."),
    )
    return_by = forms.DateField(
        label=_("To be returned by (loans)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    photos = PhotosField(
        label=_("Photos (up to 5)"),
        required=False,
        help_text=_(
            "JPG, PNG or WebP, at most 10 MB each. Do not show children's faces, "
            "people or house numbers. Location and camera data are removed from "
            "the photos."
        ),
    )
    photo_description = forms.CharField(
        label=_("What the photos show"),
        max_length=150,
        required=False,
        help_text=_("A short description for people who cannot see them."),
    )

    def __init__(self, *args, with_photos: bool = True, **kwargs):
        kwargs.setdefault("initial", {"kind": "offer", "what": "good", "how": "give"})
        super().__init__(*args, **kwargs)
        if not with_photos:
            del self.fields["photos"]
            del self.fields["photo_description"]
            for name in ("kind", "what", "how"):
                del self.fields[name]


class PhotoForm(forms.Form):
    photos = PhotosField(label=_("Add photos"))
    photo_description = ListingForm.base_fields["photo_description"]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    tipo = forms.ChoiceField(
        label=_("Offers or requests"),
        required=False,
        choices=[("", _("Both")), *Listing.Kind.choices],
    )
    cosa = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[("", _("Anything")), *Listing.What.choices],
    )
    categoria = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("Every category")), *Category.choices],
    )
    eta = forms.ChoiceField(
        label=_("Fits children aged"),
        required=False,
        choices=[("", _("Any age")), *FitsAgeBand.choices],
    )
    taglia = forms.CharField(label=_("Size"), required=False, max_length=20)
    zona = forms.ModelChoiceField(
        label=_("Area"),
        required=False,
        queryset=Area.objects.all(),
        empty_label=_("Every area"),
        to_field_name="slug",
    )
    oggi = forms.BooleanField(label=_("Only new today"), required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data["q"],
            "kind": data["tipo"],
            "what": data["cosa"],
            "category": data["categoria"],
            "age_band": data["eta"],
            "size": data["taglia"],
            "area_id": data["zona"].pk if data["zona"] else None,
            "new_today": data["oggi"],
        }


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("A short message to the family (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GratitudeForm(forms.Form):
    text = forms.CharField(
        label=_("Your thank-you (public)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("It appears on the listing. Never name a child."),
    )
