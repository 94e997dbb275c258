from django import forms

from .models import Organisation


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["description", "area", "address", "email", "phone", "website", "logo"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
