"""Template helpers for the public forms' error summary."""

from django import template

register = template.Library()


@register.simple_tag
def fields_with_errors(form) -> list[dict]:
    """Each field with an error: its label, its errors and the id of its first control.

    A radio group or a set of checkboxes has no single control for a label, so Django gives it
    no id (`id_for_label` is empty); the summary links to its first option instead.
    """
    rows = []
    for field in form:
        if not field.errors:
            continue
        target = field.id_for_label
        if not target:
            subwidgets = field.subwidgets
            target = subwidgets[0].id_for_label if subwidgets else field.auto_id
        rows.append({"target": target, "label": field.label, "errors": field.errors})
    return rows
