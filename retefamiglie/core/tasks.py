from django.tasks import task

from .mail import deliver


@task(queue_name="default")
def deliver_email(payload: dict) -> int:
    """Deliver one e-mail through the "delivery" mailer (SMTP in production)."""
    return deliver(payload)
