from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from common.exports import csv_response, xlsx_response
from common.uploads import accepts_upload
from common.views import form_errors, page_of
from common.widgets import search_requested
from contests import exports, selectors, services
from contests.forms import (
    BaseCriterionFormSet,
    CommentForm,
    ContestForm,
    CriterionFormSet,
    HideForm,
    IdeaForm,
    MergeForm,
    OutcomeForm,
    ProjectFromIdeaForm,
    ScoreForm,
)
from contests.models import Contest, Idea
from portfolio.selectors import similar_projects


@login_required
def contest_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    contests = selectors.contests_visible_to(request.user).prefetch_related("eligible_directions")
    return render(
        request,
        "contests/contest_list.html",
        {
            "contests": contests,
            "can_manage": selectors.can_manage(request.user),
        },
    )


@login_required
def my_ideas(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = page_of(request, selectors.ideas_of(request.user), 25)
    return render(request, "contests/my_ideas.html", {"page": page, "query": ""})


def _add_error(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal shown on the form: on its field when the form has it, above the form otherwise."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _save_contest(request: AuthenticatedHttpRequest, contest: Contest | None) -> HttpResponse:
    """The contest form and its grid. "Ajouter un critère" and a people picker's "Chercher" send the form back as
    typed, one empty criterion more or the picker's list narrowed, without saving nor error messages."""
    data = request.POST if request.method == "POST" else None
    adding = data is not None and "add_criterion" in data
    form = ContestForm(data, instance=contest, prefix="contest")
    formset = cast(
        BaseCriterionFormSet, CriterionFormSet(data, instance=form.instance, prefix="criteria", add=adding)
    )  # the factory's class is a BaseCriterionFormSet
    if data is not None and (adding or search_requested(data)):
        form.errors.clear()  # shown again as typed, without error messages
        formset.clear_errors()
    elif data is not None and form.is_valid() and formset.is_valid():
        try:
            contest = services.contest_save(
                by=request.user, data=form.cleaned_data, criteria=formset.grid(), contest=contest
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Le concours « %(title)s » est enregistré.") % {"title": contest.title})
            return redirect(contest)
    formset.shares()
    return render(
        request, "contests/contest_form.html", {"form": form, "formset": formset, "contest": contest, "added": adding}
    )


@login_required
@permission_required("contests.add_contest", raise_exception=True)
def contest_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _save_contest(request, None)


@login_required
def contest_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    contest = selectors.get_contest_for_user(request.user, slug, write=True)
    try:
        services.contest_check_editable(contest)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(contest)
    return _save_contest(request, contest)


@login_required
@require_POST
def contest_advance(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    contest = selectors.get_contest_for_user(request.user, slug, write=True)
    try:
        contest = services.contest_advance(contest=contest, by=request.user, confirmed="confirm" in request.POST)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Le concours est maintenant : %(state)s.") % {"state": contest.get_state_display()})
    return redirect(contest)


@login_required
@require_POST
def contest_remind_jury(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    contest = selectors.get_contest_for_user(request.user, slug, write=True)
    try:
        reminded = services.contest_remind_jury(contest=contest, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if reminded:
            messages.success(
                request,
                ngettext("%(count)s membre du jury relancé.", "%(count)s membres du jury relancés.", reminded)
                % {"count": reminded},
            )
        else:
            messages.info(request, _("Tout le jury a fini d'évaluer : personne à relancer."))
    return redirect(contest)


@login_required
def contest_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    contest = selectors.get_contest_for_user(user, slug)
    ideas = selectors.with_counts(selectors.ideas_listed(user, contest)).order_by("-support_count", "title")
    juror = selectors.is_juror(user, contest)
    return render(
        request,
        "contests/contest_detail.html",
        {
            "contest": contest,
            "page": page_of(request, ideas, 30),
            "query": "",
            "criteria": selectors.grid_with_shares(contest),
            "can_manage": selectors.can_manage(user),
            "can_propose": contest.accepts_ideas() and selectors.is_eligible(user, contest),
            "is_juror": juror,
            "progress": selectors.evaluation_progress(user, contest) if juror else None,
            "jury_progress": selectors.jury_progress(contest) if selectors.can_manage(user) else None,
            "blind": contest.blind_evaluation and juror and not selectors.can_manage(user),
            "closed_on_time": timezone.localdate() > contest.closes_on,
        },
    )


def _similar_to_idea(
    request: AuthenticatedHttpRequest, contest: Contest, title: str, idea: Idea | None
) -> dict[str, object]:
    """The context of the suggestions under the title: ideas of the contest and projects with a similar title."""
    title = title.strip()[:200]
    return {
        "similar_ideas": selectors.similar_ideas(request.user, contest, title, exclude=idea.pk if idea else None),
        "similar_projects": similar_projects(request.user, title),
        "similar_title": title,
    }


def _idea_form_response(request: AuthenticatedHttpRequest, contest: Contest, idea: Idea | None) -> HttpResponse:
    author = idea.author if idea else request.user
    form = IdeaForm(request.POST or None, request.FILES or None, instance=idea, author=author)
    context = {"form": form, "contest": contest, "idea": idea}
    context["similar_url"] = reverse("contests:idea_similar", args=[contest.slug])
    context["similar_exclude"] = idea.pk if idea else ""
    # "Vérifier les doublons", or a people picker's "Chercher", without JavaScript
    if request.method == "POST" and ("check" in request.POST or search_requested(request.POST)):
        form.errors.clear()  # nothing is saved yet: the form is shown again as typed, without error messages
        checked = "check" in request.POST
        context.update(_similar_to_idea(request, contest, request.POST.get("title", ""), idea), checked=checked)
        return render(request, "contests/idea_form.html", context)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        newly_submitted = submit and (idea is None or idea.status == Idea.Status.DRAFT)
        try:
            idea = services.idea_save(
                contest=contest,
                author=author,
                data=form.cleaned_data,
                co_authors=form.cleaned_data["co_authors"],
                submit=submit,
                idea=idea,
                attachment=form.cleaned_data.get("attachment"),
                attachment_type=form.attachment_type,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if idea.status == Idea.Status.DRAFT:
                messages.success(
                    request, _("Brouillon enregistré : il n'est visible que de vous et de vos co-auteurs.")
                )
                return redirect(idea)
            messages.success(request, _("Votre idée est enregistrée."))
            if newly_submitted:
                return redirect("contests:idea_confirmation", contest.slug, idea.pk)
            return redirect(idea)
    if request.method == "POST" or idea:
        context.update(_similar_to_idea(request, contest, request.POST.get("title", idea.title if idea else ""), idea))
    return render(request, "contests/idea_form.html", context)


@login_required
def idea_similar(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The suggestions under the title of the idea form, as an HTML fragment the page's script puts in place."""
    contest = selectors.get_contest_for_user(request.user, slug)
    exclude = request.GET.get("exclure", "")
    idea = selectors.get_idea_for_user(request.user, contest, int(exclude)) if exclude.isdigit() else None
    context = _similar_to_idea(request, contest, request.GET.get("titre", ""), idea)
    return render(request, "includes/similar_list.html", context)


@accepts_upload("document")
@login_required
def idea_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    contest = selectors.get_contest_for_user(request.user, slug)
    if not (contest.accepts_ideas() and selectors.is_eligible(request.user, contest)):
        messages.error(request, _("Ce concours n'accepte pas vos idées en ce moment."))
        return redirect(contest)
    return _idea_form_response(request, contest, None)


@accepts_upload("document")
@login_required
def idea_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    contest = selectors.get_contest_for_user(request.user, slug)
    idea = selectors.get_idea_for_user(request.user, contest, pk, write=True)
    return _idea_form_response(request, contest, idea)


@login_required
def idea_confirmation(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    contest = selectors.get_contest_for_user(request.user, slug)
    idea = selectors.get_idea_for_user(request.user, contest, pk)
    return render(
        request,
        "contests/idea_confirmation.html",
        {
            "contest": contest,
            "idea": idea,
            "similar_ideas": selectors.similar_ideas(request.user, contest, idea.title, exclude=idea.pk),
        },
    )


@login_required
def idea_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    user = request.user
    contest = selectors.get_contest_for_user(user, slug)
    idea = selectors.get_idea_for_user(user, contest, pk)
    manage = selectors.can_manage(user)
    comments = idea.comments.select_related("author")
    if not manage:
        comments = comments.filter(hidden_reason="") | comments.filter(author=user)
    is_author = user.pk in idea.author_ids()
    juror = selectors.is_juror(user, contest)
    open_to_all = contest.accepts_ideas() and idea.status != Idea.Status.MERGED
    return render(
        request,
        "contests/idea_detail.html",
        {
            "contest": contest,
            "idea": idea,
            "comments": comments.order_by("created_at"),
            "co_authors": idea.co_authors.all(),
            "is_author": is_author,
            "support_count": idea.supports.count(),
            "supported": selectors.has_supported(user, idea),
            "can_support": open_to_all and not is_author and selectors.is_eligible(user, contest),
            "can_edit": is_author and open_to_all,
            "can_manage": manage,
            "comment_form": CommentForm(initial={"text": request.session.pop("draft_comment", "")}),
            "hide_form": HideForm(prefix="hide"),
            "outcome_form": OutcomeForm(initial={"status": idea.status}) if manage else None,
            "project_form": ProjectFromIdeaForm(idea=idea) if manage and idea.status == Idea.Status.SELECTED else None,
            "can_score": juror and not is_author and contest.state == Contest.State.EVALUATION,
            "blind": contest.blind_evaluation and juror and not manage and not is_author,
            "merged_ideas": idea.merged_ideas.order_by("title"),
            "can_merge": manage
            and contest.state in services.MERGE_STATES
            and idea.status not in {Idea.Status.DRAFT, Idea.Status.MERGED},
        },
    )


def _idea_post(request: AuthenticatedHttpRequest, slug: str, pk: int) -> tuple[Contest, Idea]:
    contest = selectors.get_contest_for_user(request.user, slug)
    return contest, selectors.get_idea_for_user(request.user, contest, pk)


@login_required
@require_POST
def idea_support(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    _contest, idea = _idea_post(request, slug, pk)
    try:
        services.idea_support(idea=idea, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Merci : votre soutien est enregistré."))
    return redirect(idea)


@login_required
@require_POST
def idea_comment(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    _contest, idea = _idea_post(request, slug, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(idea=idea, author=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Votre commentaire est publié."))
            return redirect(f"{idea.get_absolute_url()}#commentaires")
    messages.error(request, _("Le commentaire n'a pas été publié : %(errors)s") % {"errors": form_errors(form)})
    request.session["draft_comment"] = request.POST.get("text", "")[:2000]
    return redirect(f"{idea.get_absolute_url()}#commentaires")


@login_required
@require_POST
def idea_hide(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    _contest, idea = _idea_post(request, slug, pk)
    form = HideForm(request.POST, prefix="hide")
    if not form.is_valid():
        messages.error(request, _("Indiquez le motif du masquage : il est communiqué à l'auteur."))
        return redirect(idea)
    services.idea_hide(idea=idea, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("L'idée est masquée ; son auteur est prévenu."))
    return redirect(idea)


@login_required
@require_POST
def comment_hide(request: AuthenticatedHttpRequest, slug: str, pk: int, comment_pk: int) -> HttpResponse:
    _contest, idea = _idea_post(request, slug, pk)
    comment = get_object_or_404(idea.comments, pk=comment_pk)
    form = HideForm(request.POST, prefix=f"comment-{comment.pk}")
    if not form.is_valid():
        messages.error(request, _("Indiquez le motif du masquage : il est communiqué à l'auteur."))
        return redirect(idea)
    services.comment_hide(comment=comment, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("Le commentaire est masqué ; son auteur est prévenu."))
    return redirect(f"{idea.get_absolute_url()}#commentaires")


@login_required
def idea_score(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """A juror scores an idea, read beside the grid; saving leads to the next idea left to score."""
    contest, idea = _idea_post(request, slug, pk)
    if not selectors.is_juror(request.user, contest) or request.user.pk in idea.author_ids():
        raise PermissionDenied
    criteria = list(contest.criteria.all())
    existing = {s.criterion_id: (s.value, s.comment) for s in idea.scores.filter(juror=request.user)}
    form = ScoreForm(request.POST or None, criteria=criteria, initial_scores=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.scores_save(idea=idea, juror=request.user, scores=form.scores())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _after_scoring(request, contest, idea)
    blind = contest.blind_evaluation and not selectors.can_manage(request.user)
    shares = selectors.weight_shares([criterion.weight for criterion in criteria])
    return render(
        request,
        "contests/idea_score.html",
        {
            "contest": contest,
            "idea": idea,
            "form": form,
            "rows": [(*row, share) for row, share in zip(form.rows(), shares, strict=True)],
            "blind": blind,
            "co_authors": [] if blind else idea.co_authors.all(),
            "next_idea": selectors.next_idea_to_score(request.user, contest, after=idea),
            "progress": selectors.evaluation_progress(request.user, contest),
        },
    )


def _after_scoring(request: AuthenticatedHttpRequest, contest: Contest, idea: Idea) -> HttpResponse:
    """The next idea the juror has still to score, or the evaluation list once every idea is scored."""
    done, total = selectors.evaluation_progress(request.user, contest)
    saved = _("Notes enregistrées. %(done)s sur %(total)s idées évaluées.") % {"done": done, "total": total}
    following = selectors.next_idea_to_score(request.user, contest, after=idea)
    if following is None:
        messages.success(request, f"{saved} {_('Vous avez noté toutes les idées : merci.')}")
        return redirect("contests:evaluation", contest.slug)
    messages.success(request, f"{saved} {_('Voici l’idée suivante à noter.')}")
    return redirect("contests:idea_score", contest.slug, following.pk)


@login_required
def evaluation(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    contest = selectors.get_contest_for_user(request.user, slug)
    if not selectors.is_juror(request.user, contest):
        raise PermissionDenied
    ideas = selectors.ideas_with_juror_progress(request.user, contest)
    done, total = selectors.evaluation_progress(request.user, contest)
    return render(
        request,
        "contests/evaluation.html",
        {
            "contest": contest,
            "ideas": ideas,
            "done": done,
            "total": total,
            "next_idea": selectors.next_idea_to_score(request.user, contest),
            "blind": contest.blind_evaluation and not selectors.can_manage(request.user),
        },
    )


@login_required
def contest_ranking(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    contest = selectors.get_contest_for_user(request.user, slug, write=True)
    return render(
        request,
        "contests/ranking.html",
        {
            "contest": contest,
            "ranking": selectors.ranking(contest),
            "criteria": selectors.grid_with_shares(contest),
            "jury_progress": selectors.jury_progress(contest),
            "outcome_choices": [(s.value, s.label) for s in services.OUTCOMES_ORDER],
        },
    )


@login_required
@require_POST
def idea_outcome(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    contest = selectors.get_contest_for_user(request.user, slug, write=True)
    idea = selectors.get_idea_for_user(request.user, contest, pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.idea_set_outcome(idea=idea, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Décision enregistrée ; les auteurs sont prévenus."))
    else:
        messages.error(request, form_errors(form))
    if request.POST.get("from") == "ranking":
        return redirect("contests:ranking", contest.slug)
    return redirect(idea)


@login_required
@require_POST
def idea_project(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    contest = selectors.get_contest_for_user(request.user, slug, write=True)
    idea = selectors.get_idea_for_user(request.user, contest, pk)
    form = ProjectFromIdeaForm(request.POST, idea=idea)
    if form.is_valid():
        try:
            project = services.idea_to_project(idea=idea, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Le projet « %(title)s » est créé, en phase Émergence.") % {"title": project})
            return redirect(project)
    else:
        messages.error(request, form_errors(form))
    return redirect(idea)


@login_required
def contest_results(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    contest = selectors.get_contest_for_user(request.user, slug)
    if contest.state != Contest.State.PUBLISHED and not selectors.can_manage(request.user):
        raise PermissionDenied
    ranking = [
        row for row in selectors.ranking(contest) if row.idea.status in {Idea.Status.SELECTED, Idea.Status.SHORTLISTED}
    ]
    return render(request, "contests/results.html", {"contest": contest, "ranking": ranking})


@login_required
def idea_attachment(request: AuthenticatedHttpRequest, slug: str, pk: int) -> FileResponse:
    _contest, idea = _idea_post(request, slug, pk)
    if not idea.attachment:
        raise PermissionDenied
    return FileResponse(
        idea.attachment.open("rb"), as_attachment=True, filename=idea.attachment_name, content_type=idea.attachment_type
    )


@login_required
def export_csv(request: AuthenticatedHttpRequest, slug: str) -> StreamingHttpResponse:
    contest = selectors.get_contest_for_user(request.user, slug, write=True)
    return csv_response(f"idees-{contest.slug}.csv", exports.HEADER, exports.idea_rows(contest))


@login_required
def export_xlsx(request: AuthenticatedHttpRequest, slug: str) -> FileResponse:
    contest = selectors.get_contest_for_user(request.user, slug, write=True)
    return xlsx_response(f"idees-{contest.slug}.xlsx", _("Idées"), exports.HEADER, exports.idea_rows(contest))


@login_required
def export_scores_csv(request: AuthenticatedHttpRequest, slug: str) -> StreamingHttpResponse:
    """The jury's scores, one row per idea, juror and criterion."""
    contest = selectors.get_contest_for_user(request.user, slug, write=True)
    header = exports.score_header(contest)
    return csv_response(f"notes-{contest.slug}.csv", header, exports.score_rows(contest))


@login_required
def export_scores_xlsx(request: AuthenticatedHttpRequest, slug: str) -> FileResponse:
    contest = selectors.get_contest_for_user(request.user, slug, write=True)
    header = exports.score_header(contest)
    return xlsx_response(f"notes-{contest.slug}.xlsx", _("Notes du jury"), header, exports.score_rows(contest))


@login_required
def idea_merge(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """The DGS merges a duplicate into another idea of the contest: choose it, read what will happen, confirm."""
    if not selectors.can_manage(request.user):
        raise Http404
    contest = selectors.get_contest_for_user(request.user, slug, write=True)
    idea = selectors.get_idea_for_user(request.user, contest, pk)
    targets = selectors.merge_targets(contest, idea)
    form = MergeForm(request.POST if request.method == "POST" else request.GET or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            merge = services.idea_merge(duplicate=idea, target=form.cleaned_data["cible"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "L'idée « %(duplicate)s » est fusionnée dans celle-ci : %(supports)s soutien(s) et "
                    "%(comments)s commentaire(s) reportés ; les auteurs sont prévenus."
                )
                % {
                    "duplicate": merge.duplicate.title,
                    "supports": merge.supports_moved,
                    "comments": merge.comments_moved,
                },
            )
            return redirect(merge.target)
    target = form.cleaned_data["cible"] if form.is_bound and form.is_valid() else None
    return render(
        request,
        "contests/idea_merge.html",
        {
            "contest": contest,
            "idea": idea,
            "form": form,
            "target": target,
            "supports": idea.supports.count(),
            "comments": idea.comments.count(),
            "similar_ideas": selectors.similar_ideas(request.user, contest, idea.title, exclude=idea.pk),
            "mergeable": contest.state in services.MERGE_STATES and idea.status != Idea.Status.MERGED,
        },
        status=400 if request.method == "POST" else 200,
    )
