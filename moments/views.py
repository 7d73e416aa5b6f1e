"""Gallery, a moment's page, sharing, and the photo view that keeps unapproved photos private."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from checkout.tax import COUNTRIES

from . import services
from .forms import ShareForm
from .models import Moment, MomentPhoto
from .photos import MAX_PHOTOS, PhotoRejected, check_upload

PER_PAGE = 12
VARIANTS = {"large.webp": "large_webp", "large.jpg": "large_jpg", "thumb.webp": "thumb_webp", "thumb.jpg": "thumb_jpg"}


def _published():
    return Moment.objects.filter(status=Moment.Status.APPROVED)


def _places(country: str, region: str) -> dict:
    """Only places that have published moments, each list narrowed by the choice before it."""
    base = _published()
    countries = sorted(set(base.values_list("country", flat=True)), key=lambda c: COUNTRIES.get(c, c))
    regions = (
        sorted(set(base.filter(country=country).exclude(region="").values_list("region", flat=True))) if country else []
    )
    cities = base
    if country:
        cities = cities.filter(country=country)
    if region:
        cities = cities.filter(region=region)
    return {
        "countries": [(c, COUNTRIES.get(c, c)) for c in countries],
        "regions": regions,
        "cities": sorted(set(cities.values_list("city", flat=True))) if country else [],
    }


@require_GET
def gallery(request):
    country = request.GET.get("country", "").upper()[:2]
    region = request.GET.get("region", "")[:60]
    city = request.GET.get("city", "")[:80]
    moments = _published().select_related("cover").order_by("-approved_at", "-pk")
    if country:
        moments = moments.filter(country=country)
    if region:
        moments = moments.filter(region=region)
    if city:
        moments = moments.filter(city=city)
    page = Paginator(moments, PER_PAGE).get_page(request.GET.get("page"))
    month = timezone.localdate().replace(day=1)
    context = {
        "page": page,
        "country": country,
        "region": region,
        "city": city,
        "month_moment": _published().select_related("cover").filter(month_of=month).first(),
        "country_name": COUNTRIES.get(country, ""),
        **_places(country, region),
    }
    template = "moments/gallery.html#results" if request.htmx and not request.htmx.boosted else "moments/gallery.html"
    return render(request, template, context)


@require_GET
def detail(request, pk: int):
    moment = get_object_or_404(
        _published().prefetch_related(
            Prefetch("photos", queryset=MomentPhoto.objects.filter(state=MomentPhoto.State.READY))
        ),
        pk=pk,
    )
    ring = None
    if moment.order_id:
        line = moment.order.lines.filter(kind__in=["ring", "setting"]).first()
        if line and line.references.get("setting"):
            ring = {"title": line.description.splitlines()[0], "slug": line.references["setting"]}
    return render(request, "moments/detail.html", {"moment": moment, "ring": ring})


@require_http_methods(["GET", "POST"])
def share(request):
    photo_errors: list[str] = []
    if request.method == "POST":
        form = ShareForm(request.POST)
        files = request.FILES.getlist("photos")
        contents: list[bytes] = []
        if not files:
            photo_errors.append("Add at least one photo.")
        elif len(files) > MAX_PHOTOS:
            photo_errors.append(f"Add at most {MAX_PHOTOS} photos; you chose {len(files)}.")
        else:
            for upload in files:
                data = upload.read(15 * 1024 * 1024 + 1)
                try:
                    check_upload(upload.name or "", data)
                except PhotoRejected as rejected:
                    photo_errors.append(rejected.message)
                else:
                    contents.append(data)
        if form.is_valid() and not photo_errors:
            services.moment_submit(data=form.cleaned_data, photos=contents)
            return redirect("moments:thanks")
        status = 400
    else:
        initial = {}
        number = request.GET.get("order", "")[:20]
        if number:
            initial["order_number"] = number
        form, status = ShareForm(initial=initial), 200
    return render(request, "moments/share.html", {"form": form, "photo_errors": photo_errors}, status=status)


@require_GET
def thanks(request):
    return render(request, "moments/thanks.html")


@require_GET
def photo(request, token: str, variant: str):
    """A photo of a published moment, or of any moment for staff who moderate them; 404 for everyone else."""
    field = VARIANTS.get(variant)
    item = MomentPhoto.objects.select_related("moment").filter(token=token, state=MomentPhoto.State.READY).first()
    if field is None or item is None:
        raise Http404
    staff = request.user.is_authenticated and request.user.has_perm("moments.view_moment")
    if not (item.moment.is_public or staff):
        raise Http404
    stored = getattr(item, field)
    if not stored:
        raise Http404
    response = FileResponse(stored.open("rb"), content_type="image/webp" if variant.endswith("webp") else "image/jpeg")
    response["Cache-Control"] = "private, max-age=600" if not item.moment.is_public else "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def share_redirect(request):
    messages.info(request, "Share your engagement moment below.")
    return redirect("moments:share")
