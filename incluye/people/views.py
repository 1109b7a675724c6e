from django.core.paginator import Paginator
from django.shortcuts import render

from incluye.core.access import membership_required
from incluye.people import selectors, services


@membership_required("people.view")
def person_list(request):
    query = request.GET.get("q", "").strip()
    people = selectors.people_list(
        membership=request.membership, query=query, today=bool(request.GET.get("today"))
    )
    page = Paginator(people, 25).get_page(request.GET.get("page"))
    template = "people/_results.html" if request.htmx else "people/person_list.html"
    return render(request, template, {"page": page, "query": query})


@membership_required()
def person_detail(request, pk):
    person = selectors.person_for_page(membership=request.membership, pk=pk)
    services.person_viewed(membership=request.membership, person=person)
    return render(request, "people/person_detail.html", {"person": person})
