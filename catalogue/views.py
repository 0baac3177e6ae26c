from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from catalogue import selectors, services
from catalogue.forms import PublishForm, ReplicateForm
from common.views import query_without_page


@login_required
def catalogue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The publications of every member of the person's network: searched, sorted, paginated."""
    search = selectors.catalogue_search(request.GET)
    page = selectors.catalogue_page(request.user, search, number=request.GET.get("page"))
    return render(
        request,
        "catalogue/catalogue.html",
        {
            "network": selectors.network_or_404(request.user),
            "page": page,
            "search": search,
            "sorts": selectors.SORTS.items(),
            "query": query_without_page(request),
            "can_publish": selectors.can_publish(request.user),
        },
    )


@login_required
def publication_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    publication = selectors.get_publication_for_user(request.user, pk)
    return render(
        request,
        "catalogue/publication_detail.html",
        {
            "publication": publication,
            "own": selectors.is_own(request.user, publication),
            "replications": selectors.replication_count(publication),
            "can_replicate": selectors.can_replicate(request.user, publication),
            "can_withdraw": selectors.can_withdraw(request.user, publication),
        },
    )


@login_required
def own_publications(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The collectivité's publications, live and withdrawn, and how many times each was replicated."""
    selectors.network_or_404(request.user)
    if request.user.organisation_id is None:
        raise Http404
    return render(
        request,
        "catalogue/own_publications.html",
        {
            "publications": list(selectors.own_publications(request.user)),
            "can_publish": selectors.can_publish(request.user),
        },
    )


@login_required
def publish(request: AuthenticatedHttpRequest, project_pk: int) -> HttpResponse:
    """Choose what is published, see it as the network will, then confirm (``action``: preview, edit, confirm)."""
    project = selectors.project_to_publish(request.user, project_pk)
    context: dict[str, object] = {"project": project, "live": selectors.live_publication_of(project)}
    if project.visibility == project.Visibility.RESTRICTED:
        context["refusal"] = services.restricted_message()
        return render(request, "catalogue/publish.html", context, status=400 if request.method == "POST" else 200)
    if request.method != "POST":
        form = PublishForm(
            initial={
                "title": project.title,
                "summary": project.summary,
                "include": ["results", "indicators", "lessons", "directions"],
            }
        )
        return render(request, "catalogue/publish.html", {**context, "form": form})
    form = PublishForm(request.POST)
    action = request.POST.get("action", "preview")
    if action == "edit" or not form.is_valid():
        return render(request, "catalogue/publish.html", {**context, "form": form})
    fields = {
        "title": form.cleaned_data["title"],
        "summary": form.cleaned_data["summary"],
        "include": form.cleaned_data["include"],
        "contact_name": form.cleaned_data["contact_name"],
        "contact_email": form.cleaned_data["contact_email"],
    }
    try:
        if action == "confirm":
            publication = services.publication_publish(project=project, published_by=request.user, **fields)
            messages.success(request, _("Le projet est publié au catalogue du réseau."))
            return redirect(publication)
        draft = services.publication_draft(project=project, **fields)
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "catalogue/publish.html", {**context, "form": form})
    return render(request, "catalogue/publish_preview.html", {**context, "form": form, "publication": draft})


@login_required
@require_POST
def withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    publication = selectors.get_publication_for_user(request.user, pk)
    if not selectors.can_withdraw(request.user, publication):
        raise Http404
    services.publication_withdraw(publication=publication, withdrawn_by=request.user)
    messages.success(request, _("La publication est retirée du catalogue du réseau."))
    return redirect("catalogue:own")


@login_required
def replicate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Start a project of one's own from another member's publication."""
    publication = selectors.get_publication_for_user(request.user, pk)
    if not selectors.can_replicate(request.user, publication):
        raise Http404
    if request.method == "POST":
        form = ReplicateForm(request.POST)
        if form.is_valid():
            project = services.publication_replicate(
                publication=publication,
                replicated_by=request.user,
                data={name: form.cleaned_data[name] for name in ReplicateForm.Meta.fields},
            )
            messages.success(request, _("Le projet est créé dans votre portefeuille, en phase d'émergence."))
            return redirect(project)
    else:
        form = ReplicateForm(
            initial={"title": publication.title, "summary": publication.summary, "nature": publication.nature}
        )
    return render(request, "catalogue/replicate.html", {"publication": publication, "form": form})
