from django.contrib import admin

from .models import HelpOffer


@admin.register(HelpOffer)
class HelpOfferAdmin(admin.ModelAdmin):
    """Only what organisations offer; requests themselves are never shown here."""

    list_display = ["organisation", "accepts_referrals"]
    filter_horizontal = ["areas"]
