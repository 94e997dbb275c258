"""Periodic work of the process, enqueued by cron (participation_periodic)."""

from django.tasks import task

from . import services


@task
def send_registration_reminders() -> int:
    """E-mail confirmed registrations whose meeting is tomorrow, once each."""
    return services.registrations_send_reminders()


@task
def announce_started_phases() -> int:
    """Tell the followers of a process that one of its phases has begun."""
    return services.phases_announce_started()
