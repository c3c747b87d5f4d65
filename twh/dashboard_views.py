"""The staff impact dashboard in the admin: the page, and each of its tables as CSV."""

from django import forms
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from twh.dashboard import build_dashboard, write_csv


class DateRangeForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, help_text=_("YYYY-MM-DD"),
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, help_text=_("YYYY-MM-DD, inclusive"),
                          widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date is before the start date."), code="order")
        for name in ("start", "end"):
            value = data.get(name)
            if value and not 2000 <= value.year <= 2100:
                self.add_error(name, _("Choose a date between 2000 and 2100."))
        return data


def _range(request):
    form = DateRangeForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None
    data = form.cleaned_data if form.is_bound else {}
    return form, (data.get("start"), data.get("end"))


def dashboard(request, *, site):
    form, dates = _range(request)
    context = {**site.each_context(request), "title": _("Impact dashboard"), "form": form,
               "query": request.GET.urlencode()}
    if dates is None:
        return TemplateResponse(request, "admin/twh/dashboard.html", context, status=400)
    context["dashboard"] = build_dashboard(start=dates[0], end=dates[1])
    return TemplateResponse(request, "admin/twh/dashboard.html", context)


def dashboard_csv(request, table, *, site):
    form, dates = _range(request)
    if dates is None:
        return HttpResponseBadRequest("Invalid dates: " + "; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()), content_type="text/plain")
    board = build_dashboard(start=dates[0], end=dates[1])
    if table not in board.tables:
        raise Http404
    suffix = "".join(f"_{d.isoformat()}" if d else "_all" for d in dates) if any(dates) else ""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="twh-{table}{suffix}.csv"'
    write_csv(board[table], response)
    return response
