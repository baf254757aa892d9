"""Bare reference views, the stack's own ceiling (docs/benchmarks.md), in the same server.

They pass through the app's whole middleware stack, so the difference to a
flow page is what the page itself costs.
"""

from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.template import engines
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sessions_app.models import DialogSession, Rating

# About 23 KB: 11 items with 7 labelled radio buttons each, like a rating page.
PAGE = engines["django"].from_string(
    """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Reference page</title></head><body><main><h1>{{ session.patient_id }}</h1>
<form method="post">{% for rating in ratings %}<fieldset class="mb-4 border rounded p-3">
<legend class="h5">Item {{ forloop.counter }}: how satisfied are you with this?</legend>
{% for value in values %}<div class="form-check form-check-inline rating-choice">
<input class="form-check-input" type="radio" id="r{{ rating.id }}-{{ value }}"
 name="item-{{ rating.domain_id }}" value="{{ value }}"
 {% if rating.value == value %}checked{% endif %}>
<label class="form-check-label" for="r{{ rating.id }}-{{ value }}">{{ value }} – a label for
 this point of the scale, long enough to wrap on a tablet screen</label></div>{% endfor %}
</fieldset>{% endfor %}<button type="submit" class="btn btn-primary">Save</button></form>
</main></body></html>"""
)


def hello(request):
    return HttpResponse("hello")


@csrf_exempt
@require_POST
def write(request):
    """One UPDATE in a transaction: what an autosave costs at the least."""
    with transaction.atomic():
        Rating.objects.filter(pk=request.POST.get("id")).update(revision=F("revision") + 1)
    return HttpResponse(status=204)


def page(request):
    """Two queries and a rich template: the cheapest a rating page can be."""
    session = DialogSession.objects.get(code=request.GET.get("code"))
    ratings = list(Rating.objects.filter(session=session).order_by("domain_id"))
    html = PAGE.render({"session": session, "ratings": ratings, "values": range(1, 8)}, request)
    return HttpResponse(html)
