"""E-mail goes out through a background task, so no request waits for SMTP."""

from functools import partial

from django.core.mail import mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage, EmailMultiAlternatives
from django.db import transaction


def message_to_dict(message: EmailMessage) -> dict:
    alternatives = [
        [alternative.content, alternative.mimetype]
        for alternative in getattr(message, "alternatives", [])
    ]
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {key: str(value) for key, value in message.extra_headers.items()},
        "alternatives": alternatives,
    }


def message_from_dict(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


class TaskEmailBackend(BaseEmailBackend):
    """Enqueue each message as a task once the current transaction commits."""

    def send_messages(self, email_messages) -> int:
        from .tasks import deliver_email

        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            transaction.on_commit(
                partial(deliver_email.enqueue, message_to_dict(message))
            )
            count += 1
        return count


def deliver(payload: dict, mailer: str = "delivery") -> int:
    with mailers[mailer] as connection:
        return connection.send_messages([message_from_dict(payload)]) or 0
