from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from reports import selectors, services
from reports.forms import DashboardForm, ScopeForm
from reports.models import Report
from reports.quarters import Quarter


@login_required
@permission_required("reports.view_dashboards", raise_exception=True)
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DashboardForm(request.GET or None, initial={"trimestre": selectors.default_quarter().code})
    data = form.applied_filters()
    stalled_days = data.get("seuil") or settings.STALLED_AFTER_DAYS
    context = selectors.dashboard(
        user=request.user,
        quarter=form.quarter(),
        direction=data.get("direction"),
        stalled_days=stalled_days,
        campaign=data.get("enquete"),
    )
    return render(request, "reports/dashboard.html", {"form": form, **context})


def get_report_for_user(user: User, pk: int) -> Report:
    """Reports are for the steering committee and the DGS: 404 for anyone else."""
    if not user.has_perm("reports.view_report"):
        raise Http404
    return get_object_or_404(Report.objects.select_related("direction"), pk=pk)


@login_required
def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.has_perm("reports.view_report"):
        raise Http404
    form = ScopeForm(
        request.POST or None, initial={"trimestre": Quarter.containing(timezone.localdate()).previous().code}
    )
    if request.method == "POST":
        if not request.user.has_perm("reports.request_report"):
            raise Http404
        if form.is_valid():
            report, created = services.report_request(
                quarter=form.quarter(),
                direction=form.cleaned_data["direction"],
                requested_by=request.user,
                campaign=form.cleaned_data.get("enquete"),
            )
            if created:
                messages.success(request, _requested_message(report))
            else:
                messages.info(request, _existing_message(report))
            return redirect("reports:list")
    return render(request, "reports/report_list.html", {"form": form, "scopes": Report.objects.by_scope()})


def _requested_message(report: Report) -> str:
    values = {"report": report.scope_label(), "version": report.version}
    previous = report.previous_done()
    if previous is None:
        message = _("Le rapport « %(report)s » est demandé : la version %(version)s sera prête dans quelques instants.")
        return message % values
    return _(
        "Le rapport « %(report)s » est demandé : la version %(version)s sera prête dans quelques instants ; "
        "la version %(previous)s reste téléchargeable d'ici là."
    ) % {**values, "previous": previous.version}


def _existing_message(report: Report) -> str:
    return _(
        "La version %(version)s du rapport « %(report)s » existe déjà (état : %(status)s) ; aucune nouvelle "
        "version n'a été produite. Pour refaire le rapport avec les données d'aujourd'hui, choisissez "
        "« Produire une nouvelle version »."
    ) % {"version": report.version, "report": report.scope_label(), "status": report.get_status_display().lower()}


def _under_way_message(report: Report) -> str:
    return _(
        "La version %(version)s du rapport « %(report)s » est déjà en cours de production, avec les données "
        "d'aujourd'hui : aucune autre version n'a été demandée."
    ) % {"version": report.version, "report": report.scope_label()}


@login_required
def report_status(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    report = get_report_for_user(request.user, pk)
    return JsonResponse(
        {
            "status": report.status,
            "label": report.get_status_display(),
            "reason": report.failure_reason,
            "ready": report.status == Report.Status.DONE,
            "version": report.version,
        }
    )


@login_required
def report_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    report = get_report_for_user(request.user, pk)
    if not request.user.has_perm("reports.download_report") or report.status != Report.Status.DONE:
        raise Http404
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=report.filename(), content_type="application/pdf")


@login_required
def report_new_version(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A new version of the report's quarter and scope, compared with the same survey campaign.

    Not while a version of that scope is waiting or being produced: it reads the data as they are
    when it runs, so another one would only be a copy (a double click, two people at once).
    """
    report = get_report_for_user(request.user, pk)
    if not request.user.has_perm("reports.request_report"):
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    new, created = services.report_request(
        quarter=report.period,
        direction=report.direction,
        requested_by=request.user,
        campaign=report.campaign,
        new=True,
        while_in_progress=False,
    )
    if created:
        messages.success(request, _requested_message(new))
    else:  # e.g. a second click: the version under way reads the data when it runs anyway
        messages.info(request, _under_way_message(new))
    return redirect("reports:list")
