from django import template
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context: template.Context, label: str, key: str, param: str = "tri") -> str:
    """A column header that sorts the list by ``key``, then reverses it; announced by aria-sort."""
    request = context["request"]
    current = request.GET.get(param, "")
    params: QueryDict = request.GET.copy()
    params.pop("page", None)
    if current == key:
        params[param], state, hint = f"-{key}", "ascending", _("trié par ordre croissant")
    elif current == f"-{key}":
        params[param], state, hint = key, "descending", _("trié par ordre décroissant")
    else:
        params[param], state, hint = key, "none", _("trier")
    return format_html(
        '<th scope="col" aria-sort="{}"><a href="?{}">{}<span class="visually-hidden"> ({})</span></a></th>',
        state,
        params.urlencode(),
        label,
        hint,
    )


@register.filter
def euros(value: object) -> str:
    """12345.5 -> '12 345,50 €' (French format, narrow no-break spaces)."""
    if value in (None, ""):
        return "—"
    whole, _sep, cents = f"{float(value):,.2f}".partition(".")
    grouped = whole.replace(",", "\u202f")
    return f"{grouped},{cents}\u00a0€"
