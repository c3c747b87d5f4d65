"""`{% office_contact as office %}`: the Office's contact details where no request context exists (emails)."""

from django import template

from twh.context_processors import office

register = template.Library()


@register.simple_tag
def office_contact() -> dict:
    return office()
