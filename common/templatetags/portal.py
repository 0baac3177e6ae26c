from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import template
from django.http import QueryDict
from django.utils.formats import number_format
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
    """12345.5 -> '12 345,50 €' in French, '12,345.50 €' in English (the active language's separators)."""
    if value in (None, ""):
        return "—"
    return f"{number_format(Decimal(str(value)), 2, force_grouping=True)}\u00a0€"


@register.filter
def number(value: object, decimals: int | str | None = None) -> object:
    """12345 -> '12 345', Decimal('1500.50') -> '1 500,50' in French ('12,345', '1,500.50' in English); text passes.

    ``decimals`` fixes the number of decimals; by default integers have none and decimals keep theirs (two at most).
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    if decimals is None:
        exact = Decimal(str(value))
        exponent = cast(int, exact.as_tuple().exponent)  # a letter only for NaN and the infinities
        places = 0 if exact == exact.to_integral_value() else min(2, max(0, -exponent))
    else:
        places = int(decimals)
    return number_format(Decimal(str(value)), places, force_grouping=True)


@register.filter
def b64(value: str | bytes) -> str:
    """Base64 of a text (UTF-8) or bytes, for data: URIs (e.g. a chart's SVG in a PDF)."""
    import base64

    raw = value.encode("utf-8") if isinstance(value, str) else value
    return base64.b64encode(raw).decode("ascii")


@register.filter
def long_date(value: date | None) -> str:
    """The long date of the active language (DATE_FORMAT): '1er juillet 2026', '15 juillet 2026' in French, with
    the ordinal of the first day; 'July 1, 2026' in English."""
    from django.utils.formats import date_format
    from django.utils.translation import get_language

    if not value:
        return ""
    text = date_format(value, "DATE_FORMAT")
    if get_language() == "fr" and value.day == 1:
        text = "1er" + text[1:]
    return text


@register.filter
def people_picker(field: Any) -> dict[str, object]:
    """What ``includes/people_picker.html`` shows of a ``common.widgets.PeoplePicker`` field: its options (the
    chosen people, then those matching the search) and a sentence saying how many, for its live region."""
    from django.utils.translation import ngettext

    options = list(field)  # narrows the list and counts, see PeoplePicker.optgroups
    widget = field.field.widget
    chosen = ngettext("%(count)s personne choisie", "%(count)s personnes choisies", widget.chosen_count) % {
        "count": widget.chosen_count
    }
    if widget.query:
        found = ngettext(
            "%(count)s autre personne trouvée pour « %(query)s »",
            "%(count)s autres personnes trouvées pour « %(query)s »",
            widget.found_count,
        ) % {"count": widget.found_count, "query": widget.query}
    else:
        found = ngettext("%(count)s autre personne", "%(count)s autres personnes", widget.found_count) % {
            "count": widget.found_count
        }
    return {"options": options, "query": widget.query, "chosen": widget.chosen_count, "summary": f"{chosen} ; {found}."}
