from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from haven.places.models import Commune, communes_of


@login_required
def commune_options(request):
    """<option> elements for the communes of one province (current or former), for HTMX."""
    province = request.GET.get("province") or request.GET.get("home_province") or ""
    communes = Commune.objects.none()
    if province.isdigit():
        communes = communes_of(province)
    return render(
        request, "places/commune_options.html", {"communes": communes.order_by("name_vi")}
    )
