"""Small helpers the apps' views share."""

from typing import TYPE_CHECKING, TypeVar

from django.core.paginator import Page, Paginator
from django.forms import BaseForm
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.core.paginator import _SupportsPagination

T = TypeVar("T")


def page_of(request: HttpRequest, items: "_SupportsPagination[T]", size: int) -> Page[T]:
    """The page asked for in ``?page=`` (the last one when the number is too high)."""
    return Paginator(items, size).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The current query string less ``page``, for the links of the pagination."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def form_errors(form: BaseForm) -> str:
    """All the form's error messages in one line, for a message after a redirect."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)
