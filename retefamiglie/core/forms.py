from django.forms.renderers import TemplatesSetting


class BootstrapItaliaFormRenderer(TemplatesSetting):
    """Render every form and field with Bootstrap Italia's markup."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
