from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from .models import Consent
from .services import consent_record


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data.get("display_name", "").strip()
        if commit:
            user.save()
            consent_record(
                user=user,
                kind=Consent.Kind.PRIVACY_NOTICE,
                version=settings.RETEFAMIGLIE["PRIVACY_NOTICE_VERSION"],
            )
        return user
