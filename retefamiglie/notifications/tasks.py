from django.tasks import task

from . import delivery


@task(queue_name="default")
def send_delivery(delivery_id: int) -> str:
    """Send one notification delivery (e-mail, push, SMS or a digest) once."""
    return delivery.send_delivery(delivery_id)
