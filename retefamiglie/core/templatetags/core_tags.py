import functools
import re

from django import template
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.forms import BoundField
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

WIDGET_CLASSES = {
    "checkbox": "form-check-input",
    "radioselect": "form-check-input",
    "checkboxselectmultiple": "form-check-input",
    "select": "form-select",
    "selectmultiple": "form-select",
}


@register.simple_tag
def field_widget(field: BoundField):
    """Render a field's widget with Bootstrap Italia classes and its error ids."""
    attrs: dict[str, str | bool] = {
        "class": WIDGET_CLASSES.get(field.widget_type, "form-control"),
    }
    if field.errors:
        attrs["class"] = f"{attrs['class']} is-invalid"
        described = [f"{field.auto_id}_error"]
        if field.help_text:
            described.insert(0, f"{field.auto_id}_helptext")
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def translated_url(context, language_code: str) -> str:
    """The current page in another language (Italian unprefixed, English /en/)."""
    request = context.get("request")
    if request is None:
        return "/" if language_code == "it" else f"/{language_code}/"
    return translate_url(request.get_full_path(), language_code)


SPRITE = "bootstrap-italia/svg/sprites.svg"
SYMBOL = re.compile(
    r'<symbol id="(?P<name>[^"]+)" viewBox="(?P<box>[^"]+)">(?P<body>.*?)</symbol>',
    re.DOTALL,
)


@functools.cache
def sprite_symbols() -> dict[str, tuple[str, str]]:
    """Bootstrap Italia's icons by name: (viewBox, SVG body), read once.

    Pages draw the few icons they use inline rather than making phones fetch
    the whole sprite (94 KB, 32 KB compressed) for two or three of its 190.
    """
    path = finders.find(SPRITE)
    if path:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    else:  # only the collected files are on this server
        with staticfiles_storage.open(SPRITE) as handle:
            text = handle.read().decode("utf-8")
    return {
        match["name"]: (match["box"], match["body"]) for match in SYMBOL.finditer(text)
    }


@register.simple_tag
def icon(name: str, css: str = "icon-sm") -> str:
    """An icon of Bootstrap Italia, inline, hidden from assistive technology."""
    try:
        box, body = sprite_symbols()[name]
    except KeyError:
        raise template.TemplateSyntaxError(f"No icon called {name!r}.") from None
    return format_html(
        '<svg class="icon {}" viewBox="{}" aria-hidden="true" focusable="false">'
        "{}</svg>",
        css,
        box,
        mark_safe(body),  # noqa: S308 - our installed Bootstrap Italia's own paths
    )


@register.filter
def startswith(value: str, prefix: str) -> bool:
    return str(value).startswith(str(prefix))


class _SameForEveryoneNode(template.Node):
    def __init__(self, nodelist: template.NodeList, vary_on: list) -> None:
        self.nodelist = nodelist
        self.vary_on = vary_on

    def render(self, context: template.Context) -> str:
        from django.forms import BaseForm
        from django.utils.translation import get_language

        from retefamiglie.core.pagecache import versioned

        parts = [get_language() or ""]
        for expression in self.vary_on:
            value = expression.resolve(context)
            if isinstance(value, BaseForm):
                # What the person sent for the form's fields (the errors follow).
                data = value.data
                value = [
                    (
                        name,
                        data.getlist(name) if hasattr(data, "getlist") else data[name],
                    )
                    for name in sorted(value.fields)
                    if name in data
                ]
            parts.append(repr(value))
        return versioned(
            "fragment:" + "\x1f".join(parts),
            lambda: mark_safe(self.nodelist.render(context)),  # noqa: S308 - rendered by the template
        )


@register.tag("same_for_everyone")
def same_for_everyone(parser, token):
    """``{% same_for_everyone "name" form action %}…{% endsame_for_everyone %}``

    Renders its content once per language, catalogue version and value of its
    arguments (a form counts by the data sent for its fields), then serves it
    from the pages cache (ADR 28). Only for markup that is the same for every
    visitor who sends the same values: filter forms, never anything of the
    person's, no CSRF token.
    """
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("same_for_everyone needs a name")
    nodelist = parser.parse(("endsame_for_everyone",))
    parser.delete_first_token()
    return _SameForEveryoneNode(nodelist, [parser.compile_filter(bit) for bit in bits])


@register.tag("same_for_everyone_each")
def same_for_everyone_each(parser, token):
    """``{% same_for_everyone_each "name" item in items [stamp …] [load=f] %}``…
    ``{% endsame_for_everyone_each %}``

    Renders its content once for each of ``items`` (bound to ``item``, without
    ``forloop``), like ``{% for %}``, but keeps each rendering in the pages cache
    under the current version, the language, the time zone, the item's ``pk``
    and the ``stamp`` expressions (resolved with the item bound): a card of a
    search result is rendered once for everyone until the catalogue changes,
    whatever search shows it (ADR 30). One cache read for all the items.

    With ``load=f``, ``items`` may be light rows (their keys and stamps): ``f``
    takes those whose card is not kept and returns them, in the same order,
    with what their card shows — so a page whose cards are all kept reads no
    details at all. For public markup only: nothing of the person, no CSRF
    token.
    """
    bits = token.split_contents()[1:]
    load = None
    if bits and bits[-1].startswith("load="):
        # A context variable holding a function: looked up, never called.
        load = bits.pop()[len("load=") :]
    if len(bits) < 4 or bits[2] != "in":
        raise template.TemplateSyntaxError(
            'same_for_everyone_each needs "name" item in items [stamp …] [load=f]'
        )
    nodelist = parser.parse(("endsame_for_everyone_each",))
    parser.delete_first_token()
    return _SameForEveryoneEachNode(
        nodelist,
        parser.compile_filter(bits[0]),
        bits[1],
        parser.compile_filter(bits[3]),
        [parser.compile_filter(bit) for bit in bits[4:]],
        load,
    )


class _SameForEveryoneEachNode(template.Node):
    def __init__(
        self, nodelist, name, variable: str, items, stamps: list, load=None
    ) -> None:
        self.nodelist = nodelist
        self.name = name
        self.variable = variable
        self.items = items
        self.stamps = stamps
        self.load = load

    def render(self, context: template.Context) -> str:
        from django.utils import timezone
        from django.utils.translation import get_language

        from retefamiglie.core.pagecache import versioned_many

        items = list(self.items.resolve(context) or [])
        if not items:
            return ""
        prefix = "\x1f".join(
            [
                "each",
                str(self.name.resolve(context)),
                get_language() or "",
                timezone.get_current_timezone_name(),
            ]
        )
        names = []
        with context.push():
            for item in items:
                context[self.variable] = item
                stamps = [repr(stamp.resolve(context)) for stamp in self.stamps]
                names.append("\x1f".join([prefix, str(item.pk), *stamps]))
        load = context.get(self.load) if self.load is not None else None

        def render_missing(indexes: list[int]) -> list[str]:
            chosen = [items[index] for index in indexes]
            if load is not None:
                chosen = list(load(chosen))
            out = []
            for item in chosen:
                with context.push(**{self.variable: item}):
                    out.append(mark_safe(self.nodelist.render(context)))  # noqa: S308 - rendered by the template
            return out

        return mark_safe("".join(versioned_many(names, render_missing)))  # noqa: S308 - rendered by the template
