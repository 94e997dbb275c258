from django import template
from django.forms import BoundField
from django.urls import translate_url
from django.utils.html import format_html

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


@register.simple_tag
def icon(name: str, css: str = "icon-sm") -> str:
    """An icon from Bootstrap Italia's sprite, hidden from assistive technology."""
    from django.templatetags.static import static

    return format_html(
        '<svg class="icon {}" aria-hidden="true" focusable="false">'
        '<use href="{}#{}"></use></svg>',
        css,
        static("bootstrap-italia/svg/sprites.svg"),
        name,
    )


@register.filter
def startswith(value: str, prefix: str) -> bool:
    return str(value).startswith(str(prefix))
