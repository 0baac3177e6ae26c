from __future__ import annotations

import datetime
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from common.exports import streaming_csv_response, xlsx_file_response
from common.uploads import accepts_upload
from common.views import form_errors, page_of, query_without_page
from surveys import charts, exports, selectors, services
from surveys.answers import Structure, missing_required
from surveys.comparison import (
    comparison_table,
    edition_comparison,
    get_edition_for_animateur,
    member_count,
    participation_page,
)
from surveys.forms import CampaignForm, ConfirmForm, EditionForm, ImportForm, InviteForm, SectionAnswersForm
from surveys.imports import responses_import
from surveys.models import Campaign, Invitation, NationalEdition, Questionnaire
from surveys.results import MIN_GROUP, Results, campaign_results, free_texts

PAGE_SIZE = 25
_T = TypeVar("_T")


def _page(request: HttpRequest, items: QuerySet[Any, _T]) -> Page[_T]:
    return page_of(request, items, PAGE_SIZE)


# Campaigns --------------------------------------------------------------------------------


@login_required
def campaign_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not (request.user.has_perm("surveys.view_results") or request.user.has_perm("surveys.change_campaign")):
        raise PermissionDenied
    campaigns = selectors.with_list_counts(selectors.campaigns_visible_to(request.user)).order_by("-created_at")
    return render(
        request,
        "surveys/campaign_list.html",
        {
            "page": _page(request, campaigns),
            "query": "",
            "can_create": request.user.has_perm("surveys.add_campaign"),
            "can_see_questionnaires": request.user.has_perm("surveys.view_questionnaire"),
        },
    )


@login_required
@permission_required("surveys.add_campaign", raise_exception=True)
def campaign_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        campaign = services.campaign_create(created_by=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("La campagne « %(title)s » est créée : invitez les répondants, puis ouvrez-la.") % {"title": campaign},
        )
        return redirect(campaign)
    return render(request, "surveys/campaign_form.html", {"form": form})


@login_required
def campaign_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.get_campaign_for_user(request.user, slug)
    can_manage = request.user.has_perm("surveys.change_campaign")
    identities = selectors.can_see_identities(request.user)
    return render(
        request,
        "surveys/campaign_detail.html",
        {
            "campaign": campaign,
            "counts": selectors.campaign_counts(campaign),
            "can_manage": can_manage,
            "can_see_identities": identities,
            "invite_form": InviteForm() if can_manage else None,
            "page": _page(request, selectors.invitations_with_status(campaign)) if identities else None,
            "query": "",
        },
    )


@login_required
@require_POST
def campaign_open(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.get_campaign_for_user(request.user, slug, write=True)
    sent = services.campaign_open(campaign=campaign, by=request.user)
    messages.success(
        request,
        ngettext(
            "La campagne est ouverte ; %(count)s lien personnel part par e-mail.",
            "La campagne est ouverte ; %(count)s liens personnels partent par e-mail.",
            sent,
        )
        % {"count": sent},
    )
    return redirect(campaign)


@login_required
@require_POST
def campaign_close(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.get_campaign_for_user(request.user, slug, write=True)
    services.campaign_close(campaign=campaign, by=request.user)
    messages.success(request, _("La campagne est clôturée : les liens personnels ne fonctionnent plus."))
    return redirect(campaign)


def _invite_message(result: services.InviteResult, is_open: bool) -> str:
    parts = [
        ngettext("%(count)s personne invitée.", "%(count)s personnes invitées.", result.created)
        % {"count": result.created}
    ]
    if result.already_invited:
        parts.append(
            ngettext("%(count)s l'était déjà.", "%(count)s l'étaient déjà.", result.already_invited)
            % {"count": result.already_invited}
        )
    if result.without_email:
        parts.append(
            _("Sans adresse e-mail, donc non invités : %(names)s.")
            % {"names": ", ".join(map(str, result.without_email))}
        )
    if result.created and not is_open:
        parts.append(_("Les liens partiront à l'ouverture de la campagne."))
    return " ".join(parts)


@login_required
@require_POST
def campaign_invite(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.get_campaign_for_user(request.user, slug, write=True)
    form = InviteForm(request.POST)
    if form.is_valid():
        result = services.campaign_invite(
            campaign=campaign, emails=form.cleaned_data["emails"], users=form.people(), by=request.user
        )
        messages.success(request, _invite_message(result, campaign.is_open))
    else:
        messages.error(request, _("Personne n'a été invité : %(errors)s") % {"errors": form_errors(form)})
    return redirect(f"{campaign.get_absolute_url()}#repondants")


def _reminder_message(result: services.ReminderResult) -> str:
    if not result.sent and not result.skipped:
        return _("Aucune relance à envoyer : toutes les personnes invitées ont terminé.")
    if result.sent:
        parts = [
            ngettext(
                "%(count)s relance envoyée à une personne qui n'a pas terminé.",
                "%(count)s relances envoyées aux personnes qui n'ont pas terminé.",
                result.sent,
            )
            % {"count": result.sent}
        ]
    else:
        parts = [_("Aucune relance envoyée.")]
    if result.skipped:
        parts.append(
            ngettext(
                "%(count)s personne déjà relancée il y a moins de 24 heures ne l'est pas de nouveau.",
                "%(count)s personnes déjà relancées il y a moins de 24 heures ne le sont pas de nouveau.",
                result.skipped,
            )
            % {"count": result.skipped}
        )
    return " ".join(parts)


@login_required
@require_POST
def campaign_remind(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.get_campaign_for_user(request.user, slug, write=True)
    try:
        result = services.campaign_send_reminders(campaign=campaign, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        (messages.success if result.sent else messages.info)(request, _reminder_message(result))
    return redirect(campaign)


@login_required
def invitation_erase(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = selectors.get_campaign_for_user(request.user, slug, write=True)
    if not selectors.can_see_identities(request.user):
        raise PermissionDenied
    invitation = get_object_or_404(campaign.invitations.select_related("response"), pk=pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.respondent_erase(invitation=invitation, by=request.user)
        messages.success(
            request, _("Les réponses et l'invitation de %(email)s sont supprimées.") % {"email": invitation.email}
        )
        return redirect(f"{campaign.get_absolute_url()}#repondants")
    return render(
        request, "surveys/invitation_erase.html", {"campaign": campaign, "invitation": invitation, "form": form}
    )


# Results ----------------------------------------------------------------------------------


def _results(request: AuthenticatedHttpRequest, campaign: Campaign) -> Results:
    visible = selectors.campaigns_visible_to(request.user)
    structure = selectors.questionnaire_structure(campaign.questionnaire)
    comparable = selectors.series_campaigns(campaign, visible)
    return campaign_results(campaign=campaign, structure=structure, params=request.GET, comparable=comparable)


@login_required
def results(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.get_campaign_for_user(request.user, slug)
    if not request.user.has_perm("surveys.view_results"):
        raise PermissionDenied
    outcome = _results(request, campaign)
    figures = [] if outcome.suppressed else charts.results_figures(outcome)
    return render(
        request,
        "surveys/results.html",
        {
            "campaign": campaign,
            "results": outcome,
            "figures": figures,
            "min_group": MIN_GROUP,
            "query": query_without_page(request),
            "questionnaire": campaign.questionnaire,
        },
    )


@login_required
def results_csv(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.get_campaign_for_user(request.user, slug)
    if not request.user.has_perm("surveys.view_results"):
        raise PermissionDenied
    outcome = _results(request, campaign)
    table = None
    if campaign.edition_id is not None:  # the network's and the peers' percentages are appended
        structure = selectors.questionnaire_structure(campaign.questionnaire)
        edition = cast(NationalEdition, campaign.edition)
        table = comparison_table(edition_comparison(edition=edition, structure=structure, campaign=campaign))
    return exports.results_csv(outcome, f"resultats-{campaign.slug}.csv", edition=table)


@login_required
def comparison(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A member's results beside its network's, its peers' and the 2018 national ones."""
    campaign = selectors.get_campaign_for_user(request.user, slug)
    if not request.user.has_perm("surveys.view_results"):
        raise PermissionDenied
    if campaign.edition_id is None:
        raise Http404
    edition = cast(NationalEdition, campaign.edition)
    structure = selectors.questionnaire_structure(campaign.questionnaire)
    outcome = edition_comparison(edition=edition, structure=structure, campaign=campaign)
    return render(
        request,
        "surveys/comparison.html",
        {"campaign": campaign, "edition": edition, "comparison": outcome, "min_group": MIN_GROUP},
    )


@login_required
def edition_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The animateur's page of an edition: participation per member (counts only) and the network's figures."""
    edition = get_edition_for_animateur(request.user, slug)
    structure = selectors.questionnaire_structure(edition.questionnaire)
    outcome = edition_comparison(edition=edition, structure=structure)
    return render(
        request,
        "surveys/edition_detail.html",
        {
            "edition": edition,
            "comparison": outcome,
            "page": participation_page(edition, request.GET.get("page")),
            "members": member_count(edition),
            "query": "",
            "min_group": MIN_GROUP,
        },
    )


@login_required
def results_texts(request: AuthenticatedHttpRequest, slug: str, code: str) -> HttpResponse:
    campaign = selectors.get_campaign_for_user(request.user, slug)
    if not request.user.has_perm("surveys.view_results"):
        raise PermissionDenied
    structure = selectors.questionnaire_structure(campaign.questionnaire)
    question = structure.questions.get(code)
    if question is None or not question.is_text:
        raise Http404
    results_filter, texts = free_texts(campaign=campaign, structure=structure, question=question, params=request.GET)
    return render(
        request,
        "surveys/results_texts.html",
        {
            "campaign": campaign,
            "question": question,
            "filter": results_filter,
            "page": _page(request, texts) if texts is not None else None,
            "query": query_without_page(request),
            "min_group": MIN_GROUP,
        },
    )


# Responses: export and import -------------------------------------------------------------


def _campaign_with_answers(request: AuthenticatedHttpRequest, slug: str) -> Campaign:
    campaign = selectors.get_campaign_for_user(request.user, slug, write=True)
    if not selectors.can_see_identities(request.user):
        raise PermissionDenied
    return campaign


@login_required
def responses_csv(request: AuthenticatedHttpRequest, slug: str) -> StreamingHttpResponse:
    campaign = _campaign_with_answers(request, slug)
    structure = selectors.questionnaire_structure(campaign.questionnaire)
    return streaming_csv_response(f"reponses-{campaign.slug}.csv", exports.responses_csv_chunks(campaign, structure))


@login_required
def responses_xlsx(request: AuthenticatedHttpRequest, slug: str) -> FileResponse:
    campaign = _campaign_with_answers(request, slug)
    structure = selectors.questionnaire_structure(campaign.questionnaire)
    return xlsx_file_response(f"reponses-{campaign.slug}.xlsx", exports.responses_xlsx_file(campaign, structure))


@accepts_upload("survey_import")
@login_required
def responses_upload(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign_with_answers(request, slug)
    structure = selectors.questionnaire_structure(campaign.questionnaire)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    report = None
    if form.is_bound and form.is_valid():
        try:
            report = responses_import(
                campaign=campaign, structure=structure, data=form.cleaned_data["file"], imported_by=request.user
            )
        except ValidationError as error:  # a campaign in preparation
            form.add_error(None, error)
        if report is not None and not report.errors:
            messages.success(
                request,
                ngettext("%(count)s réponse importée.", "%(count)s réponses importées.", report.created)
                % {"count": report.created},
            )
            return redirect(campaign)
    context = {
        "campaign": campaign,
        "form": form,
        "report": report,
        "codes": list(structure.questions),
        "is_draft": campaign.status == Campaign.Status.DRAFT,
    }
    return render(request, "surveys/responses_import.html", context)


# Questionnaires and editions --------------------------------------------------------------


@login_required
def questionnaire_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.has_perm("surveys.view_questionnaire"):
        raise PermissionDenied
    questionnaires = Questionnaire.objects.select_related("copied_from").order_by("series", "-year", "edition")
    return render(request, "surveys/questionnaire_list.html", {"page": _page(request, questionnaires), "query": ""})


@login_required
def questionnaire_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    questionnaire = selectors.get_questionnaire_for_user(request.user, pk)
    structure = selectors.with_references(selectors.questionnaire_structure(questionnaire), questionnaire)
    can_copy = request.user.has_perm("surveys.add_questionnaire")
    return render(
        request,
        "surveys/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "structure": structure,
            "edition_form": EditionForm(questionnaire=questionnaire) if can_copy else None,
        },
    )


@login_required
@require_POST
def questionnaire_copy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    source = selectors.get_questionnaire_for_user(request.user, pk, write=True)
    form = EditionForm(request.POST, questionnaire=source)
    if form.is_valid():
        copy = services.questionnaire_copy(source=source, **form.cleaned_data)
        messages.success(
            request,
            _("L'édition « %(edition)s » est créée à partir de « %(source)s ».")
            % {"edition": copy.edition, "source": source},
        )
        return redirect(copy)
    messages.error(request, _("L'édition n'a pas été créée : %(errors)s") % {"errors": form_errors(form)})
    return redirect(source)


# Answering through a personal link (no account) --------------------------------------------


def _respondent_context(invitation: Invitation) -> dict[str, Any]:
    structure = selectors.questionnaire_structure(invitation.campaign.questionnaire)
    response = getattr(invitation, "response", None)
    return {"invitation": invitation, "campaign": invitation.campaign, "structure": structure, "response": response}


def _already_submitted(
    request: HttpRequest, invitation: Invitation, submitted_at: datetime.datetime | None
) -> HttpResponse:
    # A submitted response has its date (check constraint on Response).
    messages.error(
        request,
        _("Vous avez déjà envoyé votre réponse le %(date)s : une réponse ne s'envoie qu'une fois.")
        % {"date": date_format(cast(datetime.datetime, submitted_at), "DATE_FORMAT")},
    )
    return redirect("surveys:respond", token=invitation.token)


@never_cache
def respond(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.get_invitation_for_token(token)
    context = _respondent_context(invitation)
    response = context["response"]
    resume = min((response.last_step if response else 0) + 1, len(context["structure"].sections))
    context.update(resume_step=resume, step_count=len(context["structure"].sections))
    return render(request, "surveys/respond_home.html", context)


@never_cache
def respond_step(request: HttpRequest, token: str, step: int) -> HttpResponse:
    invitation = selectors.get_invitation_for_token(token)
    context = _respondent_context(invitation)
    structure, response = context["structure"], context["response"]
    if not 1 <= step <= len(structure.sections):
        raise Http404
    if response and response.is_submitted:
        return _already_submitted(request, invitation, response.submitted_at)
    section, given = structure.sections[step - 1], selectors.saved_answers(response)
    action = request.POST.get("action", "next")
    form = SectionAnswersForm(
        request.POST if request.method == "POST" else None, section=section, given=given, require=action == "next"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.response_save_section(
                invitation=invitation, structure=structure, section=section, step=step, values=form.values
            )
        except services.AlreadySubmittedError as error:
            return _already_submitted(request, invitation, error.submitted_at)
        return _after_save(request, invitation, structure, step, action)
    context.update(form=form, section=section, step=step, step_count=len(structure.sections))
    return render(request, "surveys/respond_step.html", context)


def _after_save(
    request: HttpRequest, invitation: Invitation, structure: Structure, step: int, action: str
) -> HttpResponse:
    if action == "save":
        messages.success(
            request, _("Vos réponses sont enregistrées. Revenez quand vous voulez par le même lien pour terminer.")
        )
        return redirect("surveys:respond", token=invitation.token)
    given = selectors.saved_answers(invitation.response)
    target = selectors.next_step(structure, step, given, -1 if action == "previous" else 1)
    if target is None:
        return redirect("surveys:respond" if action == "previous" else "surveys:respond_submit", token=invitation.token)
    return redirect("surveys:respond_step", token=invitation.token, step=target)


@never_cache
def respond_submit(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.get_invitation_for_token(token)
    context = _respondent_context(invitation)
    structure, response = context["structure"], context["response"]
    if response and response.is_submitted:
        return _already_submitted(request, invitation, response.submitted_at)
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        try:
            services.response_submit(invitation=invitation, structure=structure)
        except services.AlreadySubmittedError as error:
            return _already_submitted(request, invitation, error.submitted_at)
        except services.MissingAnswersError:
            pass  # the page below lists what is missing
        else:
            messages.success(request, _("Merci ! Votre réponse est envoyée."))
            return redirect("surveys:respond", token=invitation.token)
    missing = missing_required(structure.questions.values(), selectors.saved_answers(response))
    steps = {section.pk: index for index, section in enumerate(structure.sections, start=1)}
    context.update(missing=[(q, steps[q.section_id]) for q in missing], posted=request.method == "POST")
    return render(request, "surveys/respond_submit.html", context)
