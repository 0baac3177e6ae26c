from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports import selectors, services
from reports.forms import DashboardForm, ScopeForm
from reports.models import Report
from reports.quarters import Quarter


@login_required
@permission_required("reports.view_dashboards", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardForm(request.GET or None, initial={"trimestre": selectors.default_quarter().code})
    valid = form.is_valid() if request.GET else False
    data = form.cleaned_data if valid else {}
    stalled_days = data.get("seuil") or settings.STALLED_AFTER_DAYS
    context = selectors.dashboard(
        user=request.user,
        quarter=form.quarter(),
        direction=data.get("direction"),
        stalled_days=stalled_days,
        campaign=data.get("enquete"),
    )
    return render(request, "reports/dashboard.html", {"form": form, **context})


def get_report_for_user(user: object, pk: int) -> Report:
    """Reports are for the steering committee and the DGS: 404 for anyone else."""
    if not user.has_perm("reports.view_report"):
        raise Http404
    return get_object_or_404(Report.objects.select_related("direction"), pk=pk)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("reports.view_report"):
        raise Http404
    form = ScopeForm(
        request.POST or None, initial={"trimestre": Quarter.containing(timezone.localdate()).previous().code}
    )
    if request.method == "POST":
        if not request.user.has_perm("reports.request_report"):
            raise Http404
        if form.is_valid():
            report = services.report_request(
                quarter=form.quarter(), direction=form.cleaned_data["direction"], requested_by=request.user
            )
            messages.success(
                request,
                _("Le rapport « %(report)s » est demandé : il sera prêt dans quelques instants.") % {"report": report},
            )
            return redirect("reports:list")
    reports = Report.objects.select_related("direction", "requested_by")[:40]
    return render(request, "reports/report_list.html", {"form": form, "reports": reports})


@login_required
def report_status(request: HttpRequest, pk: int) -> JsonResponse:
    report = get_report_for_user(request.user, pk)
    return JsonResponse(
        {
            "status": report.status,
            "label": report.get_status_display(),
            "reason": report.failure_reason,
            "ready": report.status == Report.Status.DONE,
        }
    )


@login_required
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    report = get_report_for_user(request.user, pk)
    if not request.user.has_perm("reports.download_report") or report.status != Report.Status.DONE:
        raise Http404
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=report.filename(), content_type="application/pdf")


@login_required
@require_POST
def report_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    if not request.user.has_perm("reports.request_report"):
        raise Http404
    services.report_regenerate(report=report, requested_by=request.user)
    messages.success(request, _("Le rapport « %(report)s » va être produit de nouveau.") % {"report": report})
    return redirect("reports:list")
