from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Organisation
from audit.selectors import can_read_journal
from common import tenancy
from common.exports import csv_response, xlsx_response
from common.uploads import accepts_upload
from common.views import page_of, query_without_page
from common.widgets import search_requested
from portfolio import charts, effort, exports, opendata, selectors, services
from portfolio.forms import (
    AttachmentForm,
    DecisionRequestForm,
    GateDecisionForm,
    IndicatorForm,
    MeasurementForm,
    ProjectForm,
    ScorecardForm,
)
from portfolio.history import project_changes
from portfolio.models import EffortRule, Indicator, Measurement, Phase, Project, SuccessFactor

PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 50


def _page(request: HttpRequest, projects: QuerySet[Project]) -> Page[Project]:
    return selectors.page_of_projects(projects, number=request.GET.get("page"), size=PAGE_SIZE)


@login_required
def project_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    project_filter = selectors.project_list(user=request.user, params=request.GET)
    page = _page(request, project_filter.qs)
    search = project_filter.form.cleaned_data.get("q", "") if project_filter.form.is_valid() else ""
    shown = {project.pk for project in page.object_list}
    close = [m.object for m in selectors.similar_projects(request.user, search or "") if m.object.pk not in shown]
    return render(
        request,
        "portfolio/project_list.html",
        {
            "filter": project_filter,
            "page": page,
            "query": query_without_page(request),
            "can_create": selectors.can_create_project(request.user),
            "search": search,
            "close_titles": close,
        },
    )


@login_required
def showcase(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The finished projects, with their results and lessons learned."""
    page = selectors.showcase_page(request.user, number=request.GET.get("page"))
    return render(request, "portfolio/showcase.html", {"page": page, "query": ""})


@login_required
def my_projects(request: AuthenticatedHttpRequest) -> HttpResponse:
    projects = selectors.projects_of(request.user).order_by("-updated_at")
    return render(request, "portfolio/my_projects.html", {"page": _page(request, projects), "query": ""})


@login_required
def project_board(request: AuthenticatedHttpRequest) -> HttpResponse:
    project_filter = selectors.project_list(user=request.user, params=request.GET)
    columns = selectors.board_columns(project_filter.qs)
    return render(
        request,
        "portfolio/project_board.html",
        {
            "filter": project_filter,
            "columns": [(column, _list_of_phase(request, column.phase)) for column in columns],
            "cards": selectors.BOARD_CARDS,
            "query": query_without_page(request),
            "agents_share": selectors.agents_adoption_share(project_filter.qs),
        },
    )


@login_required
def portfolio_map(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Expected value against effort for the projects the person may see, with the list's filters."""
    project_filter = selectors.project_list(user=request.user, params=request.GET)
    portfolio_map = selectors.portfolio_map(project_filter.qs)
    rule = portfolio_map.rule
    review, review_total = selectors.ex_post_review(project_filter.qs)
    placed = sum(n for code, n in portfolio_map.counts.items() if code != effort.INCOMPLETE)
    return render(
        request,
        "portfolio/portfolio_map.html",
        {
            "filter": project_filter,
            "query": query_without_page(request),
            "map": portfolio_map,
            "figure": charts.portfolio_map_figure(
                selectors.map_points(portfolio_map.placed),
                high_value_from=rule.high_value_from,
                high_effort_from=rule.high_effort_from,
                title=_("Carte du portefeuille : valeur attendue et effort"),
            )
            if portfolio_map.placed
            else None,
            "quadrants": [
                (quadrant, effort.QUADRANT_HELP[quadrant], count, _share(count, placed))
                for quadrant in effort.Quadrant
                for count in [portfolio_map.counts.get(quadrant.value, 0)]
            ],
            "shown": len(portfolio_map.placed) + len(portfolio_map.incomplete),
            "placed": placed,
            "incomplete": [(row, selectors.missing_for_map(row)) for row in portfolio_map.incomplete],
            "incomplete_count": portfolio_map.counts.get(effort.INCOMPLETE, 0),
            "review": review,
            "review_total": review_total,
        },
    )


def _share(part: int, base: int) -> str:
    """« 25 % » of a base, « — » without a base: never a division by zero nor more than 100 %."""
    return f"{round(100 * part / base)} %" if base and 0 <= part <= base else "—"


def _list_of_phase(request: HttpRequest, phase: Phase) -> str:
    """The list's query string for one phase of the board, keeping the board's other filters."""
    params = request.GET.copy()
    params.pop("page", None)
    params.setlist("phase", [phase.code])
    return params.urlencode()


@login_required
def export_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    projects = selectors.project_list(user=request.user, params=request.GET).qs
    return csv_response("projets.csv", exports.HEADER, exports.project_rows(projects))


@login_required
def export_xlsx(request: AuthenticatedHttpRequest) -> FileResponse:
    projects = selectors.project_list(user=request.user, params=request.GET).qs
    return xlsx_response("projets.xlsx", _("Projets"), exports.HEADER, exports.project_rows(projects))


def _detail(request: AuthenticatedHttpRequest, project: Project, *, status: int = 200, **forms: object) -> HttpResponse:
    """The project page; a form that failed is shown again with what was typed and its errors."""
    context: dict[str, Any] = selectors.project_detail_relations(project)  # a template's context
    can_edit = selectors.can_edit_project(request.user, project)
    context.update(
        project=project,
        can_edit=can_edit,
        can_decide=selectors.can_decide_gate(request.user) and not project.is_closed,
        decision_form=GateDecisionForm(project=project),
        decision_request=selectors.open_decision_request(project),
        request_form=DecisionRequestForm(prefix="request") if can_edit and not project.is_closed else None,
        indicator_form=IndicatorForm(prefix="indicator") if can_edit else None,
        attachment_form=AttachmentForm() if can_edit else None,
        indicator_charts=[
            (i, charts.indicator_figure(i) if i.measurements.all() else None, f"figure-indicator-{i.pk}")
            for i in context["indicators"]
        ],
        phases=Phase.objects.order_by("order"),
        can_see_history=request.user.has_perm("portfolio.view_project_history"),
    )
    context["has_charts"] = any(figure for _i, figure, _id in context["indicator_charts"])
    rule = EffortRule.current()
    context["map_effort"] = effort.effort_of(project, rule)
    quadrant = effort.quadrant_of(project.value_rating, context["map_effort"].effort, rule)
    context["map_quadrant"] = effort.quadrant_label(quadrant)
    context.update(forms)
    return render(request, "portfolio/project_detail.html", context, status=status)


@login_required
def project_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_project_for_user(request.user, pk))


def _similar_context(request: AuthenticatedHttpRequest, title: str, project: Project | None) -> dict[str, object]:
    """The suggestions under the title of the project form: the visible projects with a similar title."""
    title = title.strip()[:200]
    return {
        "similar_projects": selectors.similar_projects(request.user, title, exclude=project.pk if project else None),
        "similar_title": title,
    }


def _checking(request: HttpRequest, form: ProjectForm) -> bool:
    """Whether "Vérifier les doublons" or the "Chercher" of a people picker was pressed: nothing is saved, the form
    comes back as typed, without errors."""
    if request.method == "POST" and ("check" in request.POST or search_requested(request.POST)):
        form.errors.clear()
        return True
    return False


def _project_form(
    request: AuthenticatedHttpRequest, form: ProjectForm, project: Project | None, checked: bool
) -> HttpResponse:
    """The project form with the visible projects whose title resembles the one typed."""
    context: dict[str, object] = {"form": form, "project": project, "similar_url": reverse("portfolio:similar")}
    context["similar_exclude"] = project.pk if project else ""
    if request.method == "POST" or project:
        title = request.POST.get("title", project.title if project else "")
        # the message about similar projects is for "Vérifier les doublons", not for a people picker's search
        context.update(_similar_context(request, title, project), checked=checked and "check" in request.POST)
    return render(request, "portfolio/project_form.html", context)


@login_required
def project_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.can_create_project(request.user):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, user=request.user)
    checked = _checking(request, form)
    if request.method == "POST" and not checked and form.is_valid():
        data = dict(form.cleaned_data)
        phase, since = data.pop("current_phase"), data.pop("phase_since")
        try:
            project = services.project_create(created_by=request.user, data=data, phase=phase, phase_since=since)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Le projet « %(title)s » est créé, en phase « %(phase)s ».")
                % {"title": project, "phase": project.phase.label},
            )
            return redirect(project)
    return _project_form(request, form, None, checked)


@login_required
def project_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = selectors.get_project_for_user(request.user, pk, write=True)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    checked = _checking(request, form)
    if request.method == "POST" and not checked and form.is_valid():
        services.project_update(
            project=project, data={name: form.cleaned_data[name] for name in form.fields}, updated_by=request.user
        )
        messages.success(request, _("Les modifications sont enregistrées."))
        return redirect(project)
    if request.method == "POST":
        project.refresh_from_db()
    return _project_form(request, form, project, checked)


@login_required
def project_similar(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The suggestions under the title of the project form, as an HTML fragment the page's script puts in place."""
    exclude = request.GET.get("exclure", "")
    project = selectors.get_project_for_user(request.user, int(exclude)) if exclude.isdigit() else None
    context = _similar_context(request, request.GET.get("titre", ""), project)
    return render(request, "includes/similar_list.html", context)


@login_required
def project_scorecard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = selectors.get_project_for_user(request.user, pk, write=True)
    factors = list(SuccessFactor.objects.order_by("order"))
    initial = dict(project.factor_scores.values_list("factor_id", "score"))
    form = ScorecardForm(request.POST or None, factors=factors, initial_scores=initial)
    if request.method == "POST" and form.is_valid():
        services.scorecard_save(project=project, scores=form.scores(), saved_by=request.user)
        messages.success(request, _("La grille des facteurs de succès est enregistrée."))
        return redirect(project)
    return render(request, "portfolio/project_scorecard.html", {"form": form, "project": project})


@login_required
@require_POST
def project_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = selectors.get_project_for_user(request.user, pk)
    if not selectors.can_decide_gate(request.user):
        raise PermissionDenied
    form = GateDecisionForm(request.POST, project=project)
    if form.is_valid():
        try:
            gate = services.project_decide_gate(project=project, decided_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            project = selectors.get_project_for_user(request.user, pk)  # as the other decision left it
            form.show_decisions_as_they_are(project)
        else:
            messages.success(
                request, _("Décision enregistrée : %(decision)s.") % {"decision": gate.get_decision_display()}
            )
            return redirect(project)
    messages.error(request, _("La décision n'a pas été enregistrée : corrigez le formulaire de décision."))
    return _detail(request, project, status=400, decision_form=form)


@login_required
@require_POST
def decision_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A lead asks the direction générale for a decision on the project."""
    project = selectors.get_project_for_user(request.user, pk, write=True)
    form = DecisionRequestForm(request.POST, prefix="request")
    if form.is_valid():
        try:
            services.decision_request_create(
                project=project, requested_by=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as error:  # already asked, or the project closed meanwhile: said on the page
            messages.error(request, " ".join(error.messages))
            return redirect(f"{project.get_absolute_url()}#decisions")
        else:
            messages.success(
                request,
                _(
                    "Votre demande de décision est transmise à la direction générale : "
                    "le projet figure sur sa liste « À décider »."
                ),
            )
            return redirect(f"{project.get_absolute_url()}#decisions")
    messages.error(request, _("La demande de décision n'a pas été transmise : corrigez le formulaire."))
    return _detail(request, project, status=400, request_form=form)


@login_required
@require_POST
def decision_request_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = selectors.get_project_for_user(request.user, pk, write=True)
    waiting = selectors.open_decision_request(project)
    if waiting is None:
        messages.info(request, _("Aucune demande de décision n'était en attente sur ce projet."))
    else:
        services.decision_request_withdraw(request=waiting, withdrawn_by=request.user)
        messages.success(request, _("Votre demande de décision est retirée."))
    return redirect(f"{project.get_absolute_url()}#decisions")


@login_required
@require_POST
def indicator_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = selectors.get_project_for_user(request.user, pk, write=True)
    form = IndicatorForm(request.POST, prefix="indicator")
    if not form.is_valid():
        messages.error(request, _("L'indicateur n'a pas été ajouté : corrigez le formulaire d'indicateur."))
        return _detail(request, project, status=400, indicator_form=form)
    services.indicator_create(project=project, created_by=request.user, **form.cleaned_data)
    messages.success(request, _("L'indicateur est ajouté."))
    return redirect(project)


@login_required
def measurement_add(request: AuthenticatedHttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    project = selectors.get_project_for_user(request.user, pk, write=True)
    indicator = get_object_or_404(project.indicators, pk=indicator_pk)
    form = MeasurementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_add(indicator=indicator, added_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("measured_on", error)
        else:
            messages.success(request, _("La mesure est enregistrée."))
            return redirect(project)
    return render(
        request, "portfolio/measurement_form.html", {"form": form, "project": project, "indicator": indicator}
    )


def _indicator_for_user(request: AuthenticatedHttpRequest, pk: int, indicator_pk: int) -> tuple[Project, Indicator]:
    """The project the user may edit and one of its indicators; 404 for anything else."""
    project = selectors.get_project_for_user(request.user, pk, write=True)
    return project, get_object_or_404(project.indicators, pk=indicator_pk)


def _measurement_for_user(
    request: AuthenticatedHttpRequest, pk: int, indicator_pk: int, measurement_pk: int
) -> tuple[Project, Indicator, Measurement]:
    project, indicator = _indicator_for_user(request, pk, indicator_pk)
    return project, indicator, get_object_or_404(indicator.measurements, pk=measurement_pk)


@login_required
def indicator_edit(request: AuthenticatedHttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    project, indicator = _indicator_for_user(request, pk, indicator_pk)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        services.indicator_update(indicator=indicator, data=form.cleaned_data, updated_by=request.user)
        messages.success(request, _("L'indicateur « %(name)s » est modifié.") % {"name": indicator.name})
        return redirect(f"{project.get_absolute_url()}#indicator-{indicator.pk}")
    if request.method == "POST":
        indicator.refresh_from_db()
    context = {"form": form, "project": project, "indicator": indicator}
    return render(request, "portfolio/indicator_form.html", context, status=400 if form.errors else 200)


@login_required
def indicator_delete(request: AuthenticatedHttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    project, indicator = _indicator_for_user(request, pk, indicator_pk)
    if request.method == "POST":
        services.indicator_delete(indicator=indicator, deleted_by=request.user)
        messages.success(request, _("L'indicateur « %(name)s » est supprimé, avec ses mesures.") % {"name": indicator})
        return redirect(f"{project.get_absolute_url()}#indicateurs")
    context = {"project": project, "indicator": indicator, "measurements": indicator.measurements.count()}
    return render(request, "portfolio/indicator_delete.html", context)


@login_required
def measurement_edit(
    request: AuthenticatedHttpRequest, pk: int, indicator_pk: int, measurement_pk: int
) -> HttpResponse:
    project, indicator, measurement = _measurement_for_user(request, pk, indicator_pk, measurement_pk)
    form = MeasurementForm(request.POST or None, instance=measurement)
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_update(measurement=measurement, data=form.cleaned_data, updated_by=request.user)
        except ValidationError as error:
            form.add_error("measured_on", error)
        else:
            messages.success(request, _("La mesure est modifiée."))
            return redirect(f"{project.get_absolute_url()}#indicator-{indicator.pk}")
    context = {"form": form, "project": project, "indicator": indicator, "measurement": measurement}
    return render(request, "portfolio/measurement_form.html", context, status=400 if form.errors else 200)


@login_required
def measurement_delete(
    request: AuthenticatedHttpRequest, pk: int, indicator_pk: int, measurement_pk: int
) -> HttpResponse:
    project, indicator, measurement = _measurement_for_user(request, pk, indicator_pk, measurement_pk)
    if request.method == "POST":
        services.measurement_delete(measurement=measurement, deleted_by=request.user)
        messages.success(
            request,
            _("La mesure du %(day)s est supprimée.")
            % {"day": date_format(measurement.measured_on, "SHORT_DATE_FORMAT")},
        )
        return redirect(f"{project.get_absolute_url()}#indicator-{indicator.pk}")
    context = {"project": project, "indicator": indicator, "measurement": measurement}
    return render(request, "portfolio/measurement_delete.html", context)


@accepts_upload("document")
@login_required
@require_POST
def attachment_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = selectors.get_project_for_user(request.user, pk, write=True)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Le document n'a pas été ajouté : corrigez le formulaire de dépôt."))
        return _detail(request, project, status=400, attachment_form=form)
    services.attachment_add(
        project=project, uploaded_by=request.user, file=form.cleaned_data["file"], content_type=form.content_type
    )
    messages.success(request, _("Le document est ajouté."))
    return redirect(project)


@login_required
def attachment_download(request: AuthenticatedHttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    project = selectors.get_project_for_user(request.user, pk)
    attachment = get_object_or_404(project.attachments, pk=attachment_pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
def project_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = selectors.get_project_for_user(request.user, pk)
    if not request.user.has_perm("portfolio.view_project_history"):
        raise PermissionDenied
    context = {
        "project": project,
        "page": page_of(request, project_changes(project), HISTORY_PAGE_SIZE),
        "query": query_without_page(request),
        "can_read_journal": can_read_journal(request.user),
    }
    return render(request, "portfolio/project_history.html", context)


# --- Open data: public, no sign-in -----------------------------------------------------------------------------


def _publisher(slug: str | None) -> Organisation | None:
    """The collectivité whose open data an address names; the deployment's own when it serves only one (404 for
    an address without a collectivité in a deployment of several, and for an unknown one)."""
    if slug is not None:
        return get_object_or_404(Organisation, slug=slug)
    organisations = list(Organisation.objects.order_by("pk")[:2])
    if len(organisations) > 1:
        raise Http404
    return organisations[0] if organisations else None


def _published_by(organisation: Organisation | None, chunks: Callable[[], Iterator[bytes]]) -> Iterator[bytes]:
    """The file's blocks read within the collectivité's scope: they are written after the view has returned."""
    with tenancy.scoped(organisation):
        yield from chunks()


@require_GET
def open_data(request: HttpRequest, organisation: str | None = None) -> HttpResponse:
    """What the collectivité publishes, under which licence, with the columns of its schema; in a deployment of
    several collectivités, the list of their addresses."""
    if organisation is None and Organisation.objects.count() > 1:
        return render(
            request, "portfolio/open_data_collectivites.html", {"organisations": Organisation.objects.order_by("name")}
        )
    publisher = _publisher(organisation)
    with tenancy.scoped(publisher):
        count = opendata.published_projects().count()
    return render(
        request,
        "portfolio/open_data.html",
        {
            "schema": opendata.schema(),
            "count": count,
            "licence": opendata.LICENCE,
            "publisher": publisher if organisation else None,
        },
    )


@require_GET
def open_data_csv(request: HttpRequest, organisation: str | None = None) -> StreamingHttpResponse:
    publisher = _publisher(organisation)
    response = StreamingHttpResponse(
        _published_by(publisher, opendata.csv_chunks), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="projets.csv"'
    return response


@require_GET
def open_data_json(request: HttpRequest, organisation: str | None = None) -> StreamingHttpResponse:
    publisher = _publisher(organisation)
    schema_url = request.build_absolute_uri(reverse("open_data:schema"))
    chunks = _published_by(publisher, lambda: opendata.json_chunks(schema_url=schema_url))
    return StreamingHttpResponse(chunks, content_type="application/json")


@require_GET
def open_data_schema(request: HttpRequest) -> FileResponse:
    return FileResponse(opendata.SCHEMA_PATH.open("rb"), content_type="application/json")
