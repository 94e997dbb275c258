"""The public dashboard (/monitoraggio/) and the population upload.

The dashboard reads snapshots only (computed by tasks.py); the open-data
catalogue and its downloads are in views_data.py.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from retefamiglie.accounts.decorators import mfa_required_for_roles
from retefamiglie.core.types import AuthenticatedHttpRequest

from . import dashboard, privacy, selectors, services
from .forms import DashboardForm, PopulationForm
from .models import CITY
from .tasks import compute_snapshots

# After a deploy nothing is computed yet: the first visit asks the worker once
# (not inline), and the page says the figures are on their way.
FIRST_COMPUTATION_KEY = "monitoring:first-computation"


def _ask_for_first_computation() -> None:
    if cache.add(FIRST_COMPUTATION_KEY, True, timeout=600):
        compute_snapshots.enqueue()


@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    periods = selectors.periods_available()
    areas = list(selectors.areas())
    form = DashboardForm(request.GET or None, periods=periods, areas=areas)
    period, area = form.chosen()
    context: dict[str, Any] = {
        "form": form,
        "period": period,
        "threshold": privacy.threshold(),
    }
    if period is None:
        _ask_for_first_computation()
        return render(request, "monitoring/dashboard.html", context)
    current, previous = selectors.snapshot_pair(period=period, area=area)
    area_name = next((a.name for a in areas if a.slug == area), "")
    context.update(
        {
            "area": area,
            "area_name": area_name,
            "scope": dashboard.scope_name(area_name or CITY),
            "previous_period": period.previous(),
            "snapshot": current,
            "sections": dashboard.sections_for(current, previous),
            "coverage": dashboard.coverage_for(current) if area == CITY else None,
        }
    )
    return render(request, "monitoring/dashboard.html", context)


@login_required
@permission_required("monitoring.upload_population", raise_exception=True)
@mfa_required_for_roles
@require_http_methods(["GET", "POST"])
def population(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PopulationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.population_import(
                actor=request.user,
                content=form.cleaned_data["file"].read(),
                year=form.cleaned_data["year"],
                source=form.cleaned_data["source"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            messages.success(
                request,
                _("Population saved for %(count)s areas.") % {"count": len(saved)},
            )
            return redirect("monitoring:population")
    populations = selectors.populations()
    rows = [(area, populations.get(area.pk)) for area in selectors.areas()]
    return render(request, "monitoring/population.html", {"form": form, "rows": rows})
