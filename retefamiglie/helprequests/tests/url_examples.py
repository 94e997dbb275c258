"""Examples of the URL parameters of help requests' patterns (tests/wholesite)."""

from typing import Any

from retefamiglie.helprequests.tokens import make_token

from .factories import HelpOfferFactory, ReferralFactory


def url_examples(organisation: Any, people: dict[str, Any]) -> dict[str, dict]:
    referral = ReferralFactory(organisation=organisation)
    request = referral.request
    request.family = people["family"]
    request.save()
    offer = HelpOfferFactory(organisation=organisation)
    token = {"token": make_token(request.public_id)}
    public_id = {"public_id": request.public_id}
    return {
        "helprequests:status": token,
        "helprequests:reply": token,
        "helprequests:withdraw": token,
        "helprequests:my_request": public_id,
        "helprequests:offer_edit": {"slug": offer.organisation.slug},
        "helprequests:staff_detail": public_id,
        "helprequests:triage": public_id,
        "helprequests:refer": public_id,
        "helprequests:accept": {**public_id, "referral_id": referral.pk},
        "helprequests:decline": {**public_id, "referral_id": referral.pk},
        "helprequests:message": public_id,
        "helprequests:note": public_id,
        "helprequests:close": public_id,
    }
