"""Private status links: the request's random id signed with the secret key.

A token is 32 hex characters of a random UUID plus an HMAC signature; checking
it uses Django's constant-time comparison. A wrong token and a missing request
give the same 404.
"""

import uuid

from django.core import signing

_signer = signing.Signer(salt="retefamiglie.helprequests.status", sep=".")


def make_token(public_id: uuid.UUID) -> str:
    return _signer.sign(public_id.hex)


def read_token(token: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(hex=_signer.unsign(token))
    except (signing.BadSignature, ValueError):
        return None
