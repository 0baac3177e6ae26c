from datetime import date
from typing import SupportsFloat, cast

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
def euros(value: SupportsFloat | str | None) -> str:
    """12345.5 -> '12 345,50 €' (French format, narrow no-break spaces)."""
    if value is None or value == "":
        return "—"
    whole, _sep, cents = f"{float(value):,.2f}".partition(".")
    grouped = whole.replace(",", "\u202f")
    return f"{grouped},{cents}\u00a0€"


@register.filter
def number(value: object, decimals: int | str | None = None) -> object:
    """12345 -> '12 345', Decimal('1500.5') -> '1 500,50' (French grouping, narrow no-break spaces); text passes.

    ``decimals`` fixes the number of decimals; by default integers have none and decimals keep theirs.
    """
    from decimal import Decimal

    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    if decimals is None:
        exact = Decimal(str(value))
        exponent = cast(int, exact.as_tuple().exponent)  # a letter only for NaN and the infinities
        places = 0 if exact == exact.to_integral_value() else min(2, max(0, -exponent))
    else:
        places = int(decimals)
    whole, _sep, fraction = f"{float(value):,.{places}f}".partition(".")
    grouped = whole.replace(",", "\u202f")
    return f"{grouped},{fraction}" if fraction else grouped


@register.filter
def b64(value: str | bytes) -> str:
    """Base64 of a text (UTF-8) or bytes, for data: URIs (e.g. a chart's SVG in a PDF)."""
    import base64

    raw = value.encode("utf-8") if isinstance(value, str) else value
    return base64.b64encode(raw).decode("ascii")


@register.filter
def long_date(value: date | None) -> str:
    """'1er juillet 2026', '15 juillet 2026': the French long date, with the ordinal of the first day."""
    from django.utils.dateformat import format as date_format
    from django.utils.translation import get_language

    if not value:
        return ""
    text = date_format(value, "j F Y")
    if get_language() == "fr" and value.day == 1:
        text = "1er" + text[1:]
    return text
