"""Every write of notifications; ``notify`` is the one way to tell someone (ADR 12)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from retefamiglie.accounts.models import User

from . import kinds, links, push, selectors
from .kinds import Frequency, Kind
from .models import (
    Child,
    Delivery,
    FamilyProfile,
    Follow,
    Notification,
    NotificationSettings,
    Preference,
    PushSubscription,
    SavedSearch,
    Suppression,
)

Channel = Delivery.Channel
Status = Delivery.Status


@dataclass(frozen=True)
class Contact:
    """Someone without an account: the address and phone given in a form.

    ``sms`` is True when they chose to be texted (the help-request form).
    """

    email: str = ""
    phone: str = ""
    sms: bool = False
    language: str = ""


Recipient = User | Contact | str


def _as_contact(recipient: Contact | str) -> Contact:
    if isinstance(recipient, str):
        return Contact(email=recipient)
    return recipient


def render(kind: Kind, language: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """Render the kind's template: the first line is the subject, the rest the body."""
    with translation.override(language):
        text = render_to_string(
            kind.template, {"network": settings.RETEFAMIGLIE, **context}
        )
    subject, _newline, body = text.strip().partition("\n")
    return " ".join(subject.split()), body.strip()


def render_sms(
    kind: Kind, language: str, context: Mapping[str, Any], title: str, url: str
) -> str:
    if not kind.sms_template:
        return f"{title}\n{url}".strip()
    with translation.override(language):
        return render_to_string(
            kind.sms_template, {"network": settings.RETEFAMIGLIE, **context}
        ).strip()


def frequency_for(user: User, kind: Kind) -> Frequency:
    if kind.essential:
        return Frequency.IMMEDIATE
    chosen = (
        Preference.objects.filter(user=user, kind=kind.name)
        .values_list("frequency", flat=True)
        .first()
    )
    return Frequency(chosen) if chosen else kind.default_frequency


def _subject_fields(subject_object: models.Model | None) -> dict[str, Any]:
    if subject_object is None or subject_object.pk is None:
        return {}
    return {
        "subject_type": ContentType.objects.get_for_model(subject_object),
        "subject_id": str(subject_object.pk),
    }


def _link(context: Mapping[str, Any], subject_object: models.Model | None) -> str:
    link = context.get("link")
    if link:
        return str(link)
    getter = getattr(subject_object, "get_absolute_url", None)
    return links.absolute(getter()) if callable(getter) else ""


def in_quiet_time(
    prefs: NotificationSettings | None, moment: datetime
) -> datetime | None:
    """When the person's quiet time ends, if ``moment`` falls in it."""
    start = prefs.quiet_from if prefs else time(21, 0)
    end = prefs.quiet_until if prefs else time(8, 0)
    local = timezone.localtime(moment)
    now = local.time()
    quiet = (start <= now or now < end) if start > end else (start <= now < end)
    if not quiet or start == end:
        return None
    ends = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if ends <= local:
        ends += timedelta(days=1)
    return ends


def _enqueue(delivery_ids: Iterable[int]) -> None:
    from .tasks import send_delivery

    for pk in delivery_ids:
        send_delivery.enqueue(pk)


def _after_commit(delivery_ids: list[int], user_id: int | None) -> None:
    if user_id is not None:
        selectors.forget_unread_count(user_id)
    _enqueue(delivery_ids)


def _existing(
    kind: str, key: str, user: User | None, contact: Contact | None
) -> Notification | None:
    if not key:
        return None
    found = Notification.objects.filter(kind=kind, key=key)
    if user is not None:
        return found.filter(recipient=user).first()
    if contact is None:
        return None
    return found.filter(
        recipient__isnull=True, email=contact.email.lower(), phone=contact.phone
    ).first()


@transaction.atomic
def notify(
    *,
    recipient: Recipient,
    kind: str,
    subject_object: models.Model | None = None,
    context: Mapping[str, Any] | None = None,
    key: str = "",
    frequency: str | None = None,
) -> Notification | None:
    """Tell ``recipient`` about something, by the channels they chose (ADR 12).

    Stores the in-app notification and its deliveries in the caller's
    transaction; the deliveries leave as tasks once it commits. With ``key``,
    the same recipient is notified of the same kind and key only once.
    Returns None when nothing is due (inactive account, unsubscribed address).
    """
    spec = kinds.get(kind)
    user = recipient if isinstance(recipient, User) else None
    contact = None if isinstance(recipient, User) else _as_contact(recipient)
    if user is not None and not getattr(user, "is_active", False):
        return None
    if contact is not None and not (contact.email or (contact.phone and contact.sms)):
        return None
    if (existing := _existing(kind, key, user, contact)) is not None:
        return existing
    if user is not None:
        return _notify_person(user, spec, subject_object, context or {}, key, frequency)
    if contact is None:
        return None
    return _notify_contact(contact, spec, subject_object, context or {}, key)


def _notify_person(
    user: User,
    spec: Kind,
    subject_object: models.Model | None,
    context: Mapping[str, Any],
    key: str,
    frequency: str | None,
) -> Notification:
    prefs = NotificationSettings.objects.filter(user=user).first()
    language = prefs.language if prefs else settings.LANGUAGE_CODE
    full = {"recipient": user, "object": subject_object, **context}
    title, body = render(spec, language, full)
    notification = Notification.objects.create(
        recipient=user,
        kind=spec.name,
        title=title[:300],
        body=body,
        url=_link(context, subject_object),
        language=language,
        key=key,
        **_subject_fields(subject_object),
    )
    if spec.essential or frequency is None:
        chosen = frequency_for(user, spec)
    else:
        chosen = Frequency(frequency)
    now = timezone.now()
    deliveries: list[Delivery] = []
    base = f"n{notification.pk}"
    if chosen == Frequency.IMMEDIATE:
        deliveries.append(
            Delivery(
                notification=notification, channel=Channel.EMAIL, key=f"{base}:email"
            )
        )
        if push.enabled() and PushSubscription.objects.filter(user=user).exists():
            deliveries.append(
                Delivery(
                    notification=notification,
                    channel=Channel.PUSH,
                    key=f"{base}:push",
                    next_attempt_at=in_quiet_time(prefs, now),
                )
            )
    elif chosen in kinds.DIGESTS:
        deliveries.append(
            Delivery(
                notification=notification,
                channel=Channel.EMAIL,
                key=f"{base}:email",
                status=Status.BATCHED,
                frequency=chosen,
            )
        )
    created = Delivery.objects.bulk_create(deliveries)
    due = [d.pk for d in created if d.status == Status.PENDING]
    transaction.on_commit(partial(_after_commit, due, user.pk))
    return notification


def _notify_contact(
    contact: Contact,
    spec: Kind,
    subject_object: models.Model | None,
    context: Mapping[str, Any],
    key: str,
) -> Notification | None:
    email = contact.email.lower()
    if email:
        validate_email(email)
    if (
        email
        and not spec.essential
        and Suppression.objects.filter(email=email, kind=spec.name).exists()
    ):
        email = ""
    sms = bool(contact.phone and contact.sms)
    if not email and not sms:
        return None
    language = contact.language or settings.LANGUAGE_CODE
    full = {"recipient": contact, "object": subject_object, **context}
    title, body = render(spec, language, full)
    notification = Notification.objects.create(
        email=email,
        phone=contact.phone if sms else "",
        kind=spec.name,
        title=title[:300],
        body=body,
        url=_link(context, subject_object),
        language=language,
        key=key,
        **_subject_fields(subject_object),
    )
    base = f"n{notification.pk}"
    deliveries = []
    if email:
        deliveries.append(
            Delivery(
                notification=notification, channel=Channel.EMAIL, key=f"{base}:email"
            )
        )
    if sms:
        text = render_sms(spec, language, full, title, notification.url)
        deliveries.append(
            Delivery(
                notification=notification,
                channel=Channel.SMS,
                key=f"{base}:sms",
                text=text,
            )
        )
    created = Delivery.objects.bulk_create(deliveries)
    transaction.on_commit(partial(_after_commit, [d.pk for d in created], None))
    return notification


def notify_many(
    *,
    recipients: Iterable[Recipient],
    kind: str,
    subject_object: models.Model | None = None,
    context: Mapping[str, Any] | None = None,
    key: str = "",
) -> list[Notification]:
    """``notify`` each recipient once (people and addresses, duplicates dropped)."""
    seen: set[object] = set()
    sent = []
    for recipient in recipients:
        marker = recipient.pk if isinstance(recipient, AbstractBaseUser) else recipient
        if marker in seen:
            continue
        seen.add(marker)
        notification = notify(
            recipient=recipient,
            kind=kind,
            subject_object=subject_object,
            context=context,
            key=key,
        )
        if notification is not None:
            sent.append(notification)
    return sent


def person_or_address(email: str, *, user: User | None = None) -> Recipient:
    """The account when it is the one the address belongs to, else the address.

    A form filled in by a logged-in person (a booking) may carry another
    address: the notice then goes to the address given, as a transactional one.
    """
    if (
        user is not None
        and getattr(user, "is_active", False)
        and user.email.lower() == email.lower()
    ):
        return user
    return email


def people_or_addresses(emails: Iterable[str]) -> list[Recipient]:
    """Each address as its active account when it has one (one query), else as is.

    Staff and coordinators are found by address: their notices land in their
    notification centre and follow their preferences.
    """
    wanted = sorted({email.lower() for email in emails if email})
    if not wanted:
        return []
    accounts = {
        user.email.lower(): user
        for user in get_user_model().objects.filter(email__in=wanted, is_active=True)
    }
    return [accounts.get(email, email) for email in wanted]


# The centre ---------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    """Precondition: the notification is the user's (views fetch it by recipient)."""
    if notification.recipient_id != user.pk:
        raise ValidationError("Not your notification.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
        transaction.on_commit(partial(selectors.forget_unread_count, user.pk))
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    transaction.on_commit(partial(selectors.forget_unread_count, user.pk))
    return count


# Preferences --------------------------------------------------------------------


@transaction.atomic
def preferences_update(
    *,
    user: User,
    frequencies: Mapping[str, str],
    language: str | None = None,
    quiet_from: time | None = None,
    quiet_until: time | None = None,
) -> NotificationSettings:
    """Store the person's choice per kind and their settings.

    A kind left at its default keeps no row, so a changed default reaches them.
    """
    for name, frequency in frequencies.items():
        spec = kinds.get(name)
        if spec.essential:
            continue
        Frequency(frequency)  # raises ValueError for an unknown choice
        if frequency == spec.default_frequency:
            Preference.objects.filter(user=user, kind=name).delete()
        else:
            Preference.objects.update_or_create(
                user=user, kind=name, defaults={"frequency": frequency}
            )
    prefs, _created = NotificationSettings.objects.get_or_create(user=user)
    if language is not None:
        prefs.language = language
    if quiet_from is not None:
        prefs.quiet_from = quiet_from
    if quiet_until is not None:
        prefs.quiet_until = quiet_until
    prefs.full_clean()
    prefs.save()
    return prefs


def settings_language_set(*, user: User, language: str) -> None:
    """Remember the language a person uses the site in, for their notices."""
    if language not in dict(settings.LANGUAGES):
        return
    NotificationSettings.objects.update_or_create(
        user=user, defaults={"language": language}
    )


@dataclass(frozen=True)
class Unsubscribed:
    kind: str
    user_id: int | None
    email: str


@transaction.atomic
def unsubscribe(*, token: str) -> Unsubscribed:
    """Apply a one-click unsubscribe link (RFC 8058). Raises BadSignature."""
    target = links.read_unsubscribe_token(token)
    kind = target["k"]
    user_id = target.get("u")
    email = target.get("e", "")
    if kind.startswith(links.DIGEST_KIND_PREFIX):
        frequency = Frequency(kind.removeprefix(links.DIGEST_KIND_PREFIX))
        if user_id is not None:
            _digest_off(user_id, frequency)
    elif user_id is not None:
        if not kinds.get(kind).essential:
            Preference.objects.update_or_create(
                user_id=user_id, kind=kind, defaults={"frequency": Frequency.NEVER}
            )
    elif email:
        try:
            with transaction.atomic():
                Suppression.objects.get_or_create(email=email, kind=kind)
        except IntegrityError:
            pass
    return Unsubscribed(kind=kind, user_id=user_id, email=email)


def _digest_off(user_id: int, frequency: Frequency) -> None:
    """No more of this digest: every kind that went into it is turned off."""
    user = get_user_model().objects.get(pk=user_id)
    for spec in kinds.optional_kinds():
        if frequency_for(user, spec) == frequency:
            Preference.objects.update_or_create(
                user=user, kind=spec.name, defaults={"frequency": Frequency.NEVER}
            )
    # What was waiting for the digest is not sent either.
    Delivery.objects.filter(
        notification__recipient=user, status=Status.BATCHED, frequency=frequency
    ).update(status=Status.SKIPPED)
    hook_digest_off(user, frequency)


def hook_digest_off(user: User, frequency: Frequency) -> None:
    """Saved searches that chose this digest stop too (ADR 13)."""
    SavedSearch.objects.filter(user=user, frequency=frequency).update(
        frequency=Frequency.NEVER
    )


# Push ---------------------------------------------------------------------------


@transaction.atomic
def push_subscribe(
    *, user: User, endpoint: str, p256dh: str, auth: str, device: str = ""
) -> PushSubscription:
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user": user, "p256dh": p256dh, "auth": auth, "device": device[:200]},
    )
    subscription.full_clean()
    return subscription


@transaction.atomic
def push_unsubscribe(*, user: User, endpoint: str) -> int:
    deleted, _rows = PushSubscription.objects.filter(
        user=user, endpoint=endpoint
    ).delete()
    return deleted


# Periodic ---------------------------------------------------------------------

# A delivery claimed this long ago whose worker never reported back died while
# sending; it is not sent again (a family would rather miss one notice than get
# it twice), only marked.
STALE_CLAIM = timedelta(minutes=30)


def deliveries_send_due(*, now: datetime | None = None) -> int:
    """Enqueue the deliveries whose retry time has come (and any left behind)."""
    now = now or timezone.now()
    Delivery.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(status=Status.FAILED, last_error="The worker stopped while sending.")
    due = list(
        Delivery.objects.filter(status=Status.PENDING)
        .filter(
            models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now)
        )
        .values_list("pk", flat=True)
    )
    _enqueue(due)
    return len(due)


# The family: children, areas, languages (ADR 13) ------------------------------


@transaction.atomic
def child_add(*, user: User, birth_year: int, birth_month: int) -> Child:
    """Add a child by birth month and year only; never a name.

    Precondition: the date is not in the future (the form checks it too).
    """
    today = timezone.localdate()
    if (birth_year, birth_month) > (today.year, today.month):
        raise ValidationError(_("A child's birth date cannot be in the future."))
    child = Child(user=user, birth_year=birth_year, birth_month=birth_month)
    child.full_clean()
    child.save()
    return child


@transaction.atomic
def child_remove(*, user: User, child: Child) -> None:
    if child.user_id != user.pk:
        raise ValidationError(_("This child is not in your profile."))
    child.delete()


@transaction.atomic
def family_profile_update(
    *, user: User, areas: Iterable[str], languages: Iterable[str]
) -> FamilyProfile:
    profile, _created = FamilyProfile.objects.get_or_create(user=user)
    profile.areas = sorted(set(areas))
    profile.languages = sorted(set(languages))
    profile.full_clean()
    profile.save()
    return profile


# Saved searches and follows -------------------------------------------------


@transaction.atomic
def saved_search_save(
    *, user: User, scope: str, name: str, query: str, frequency: str
) -> SavedSearch:
    """Save the filters of a list with a name; the same name replaces them.

    Precondition: ``scope`` is declared by an app (kinds.search_scopes()).
    """
    if scope not in kinds.search_scopes():
        raise ValidationError(_("This list cannot be saved."))
    search, _created = SavedSearch.objects.get_or_create(
        user=user,
        scope=scope,
        name=name.strip(),
        defaults={"query": query, "frequency": frequency},
    )
    search.query = query
    search.frequency = frequency
    search.full_clean()
    search.save()
    return search


@transaction.atomic
def saved_search_update(
    *, user: User, search: SavedSearch, frequency: str
) -> SavedSearch:
    if search.user_id != user.pk:
        raise ValidationError(_("This search is not yours."))
    search.frequency = frequency
    search.full_clean()
    search.save(update_fields=["frequency", "updated_at"])
    return search


@transaction.atomic
def saved_search_delete(*, user: User, search: SavedSearch) -> None:
    if search.user_id != user.pk:
        raise ValidationError(_("This search is not yours."))
    search.delete()


@transaction.atomic
def follow(*, user: User, target: models.Model) -> Follow:
    found, _created = Follow.objects.get_or_create(
        user=user,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
    )
    return found


@transaction.atomic
def unfollow(*, user: User, target: models.Model) -> int:
    deleted, _rows = Follow.objects.filter(
        user=user,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
    ).delete()
    return deleted


def notify_followers(
    *,
    target: models.Model,
    kind: str,
    context: Mapping[str, Any] | None = None,
    key: str = "",
    subject_object: models.Model | None = None,
    exclude: Iterable[int] = (),
) -> list[Notification]:
    """Notify everyone who follows ``target`` (an organisation, an event series,
    a proposal) of a change; ``key`` keeps each follower from a second notice."""
    followers = selectors.followers_of(target).exclude(pk__in=list(exclude))
    return notify_many(
        recipients=followers.iterator(),
        kind=kind,
        subject_object=subject_object or target,
        context=context,
        key=key,
    )
