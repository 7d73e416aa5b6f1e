"""Design your own stud earrings (two matched stones) and solitaire pendant (one stone), with the same rules:
check_fit against the shop's mountings (designs.py) and match_pair for the pair (matching.py).

Kept simple on purpose: the stone list is the catalog's search narrowed to what fits, with a few filters; the
chosen stones wait in the session (DESIGN_KEY) until the shopper picks a metal and adds the piece to the bag."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from catalog.grades import Shape, StoneStatus
from catalog.models import Gemstone
from catalog.search import diamond_search, diamonds_base, gemstone_search
from checkout.bag import BagError, bag_add_earrings, bag_add_pendant
from checkout.currency import request_price, request_rate

from . import designs
from .builder import REF_MAX_LENGTH, STONE_KINDS, load_stone, stone_details, stone_tint, stone_title
from .compatibility import StoneSpec, check_fit
from .fitting import fitting_stones, pair_q
from .matching import PairStone, match_pair

DESIGN_KEY = "jewelry_design"
PIECES = {
    "earrings": {
        "spec": designs.EARRINGS,
        "metals": designs.EARRING_METALS,
        "stones": 2,
        "title": "Design your own stud earrings",
        "noun": "stud earrings",
    },
    "pendant": {
        "spec": designs.PENDANT,
        "metals": designs.PENDANT_METALS,
        "stones": 1,
        "title": "Design your own pendant",
        "noun": "pendant",
    },
}


class DesignForm(forms.Form):
    action = forms.ChoiceField(choices=[("choose", "choose"), ("remove", "remove"), ("bag", "bag")])
    type = forms.ChoiceField(choices=[("diamond", "diamond"), ("gemstone", "gemstone")], required=False)
    sku = forms.CharField(max_length=REF_MAX_LENGTH, required=False)
    metal = forms.CharField(max_length=12, required=False)


def _chosen(request, piece: str) -> list:
    raw = request.session.get(DESIGN_KEY)
    refs = raw.get(piece) if isinstance(raw, dict) else None
    stones = []
    for ref in refs if isinstance(refs, list) else []:
        if isinstance(ref, dict) and (
            stone := load_stone(ref.get("type", ""), str(ref.get("sku", ""))[:REF_MAX_LENGTH])
        ):
            stones.append(stone)
    return stones[: PIECES[piece]["stones"]]


def _keep(request, piece: str, stones: list) -> None:
    raw = request.session.get(DESIGN_KEY)
    data = dict(raw) if isinstance(raw, dict) else {}
    data[piece] = [{"type": "gemstone" if isinstance(s, Gemstone) else "diamond", "sku": s.sku} for s in stones]
    request.session[DESIGN_KEY] = data


def _choose(request, piece: str, stones: list, stone) -> None:
    config = PIECES[piece]
    if stone.status != StoneStatus.AVAILABLE:
        raise BagError("Sorry, this item has just been sold.")
    fit = check_fit(config["spec"], StoneSpec.of(stone))
    if not fit.fits:
        raise BagError(" ".join(r.message for r in fit.reasons))
    if piece == "earrings" and stones:
        match = match_pair(PairStone.of(stones[0]), PairStone.of(stone))
        if not match.fits:
            raise BagError(" ".join(r.message for r in match.reasons))
        _keep(request, piece, [stones[0], stone])
    else:
        _keep(request, piece, [stone])


@require_http_methods(["GET", "POST"])
def design(request, piece: str):
    config = PIECES[piece]
    stones = _chosen(request, piece)
    here = reverse(f"ring_builder:{piece}")
    if request.method == "POST":
        form = DesignForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Sorry, we could not find that item.")
            return redirect(here)
        data = form.cleaned_data
        try:
            if data["action"] == "choose":
                stone = load_stone(data["type"], data["sku"])
                if stone is None:
                    raise BagError("Sorry, we could not find that item.")
                _choose(request, piece, stones, stone)
            elif data["action"] == "remove":
                _keep(request, piece, [])
            else:
                if len(stones) != config["stones"]:
                    raise BagError("Choose your stones first.")
                if data["metal"] not in config["metals"]:
                    raise BagError("Choose one of the metals shown.")
                if piece == "earrings":
                    bag_add_earrings(request, stones=stones, metal=data["metal"])
                else:
                    bag_add_pendant(request, stone=stones[0], metal=data["metal"])
                _keep(request, piece, [])
                messages.success(
                    request,
                    f"Your {config['noun']} are in your bag."
                    if piece == "earrings"
                    else "Your pendant is in your bag.",
                )
                return redirect("checkout:bag")
        except BagError as error:
            messages.error(request, str(error))
        return redirect(here)

    kind = request.GET.get("kind", "natural")
    if kind not in STONE_KINDS:
        kind = "natural"
    result = None
    if len(stones) < config["stones"]:
        rate = request_rate(request)
        if piece == "earrings" and stones:
            # The second stone: only those that make a pair with the first (and fit the mounting).
            first = stones[0]
            kind = "gemstone" if isinstance(first, Gemstone) else first.kind
            model = type(first)
            base = fitting_stones(config["spec"], model, model.objects.filter(pair_q(PairStone.of(first))))
        elif kind == "gemstone":
            base = fitting_stones(config["spec"], Gemstone, Gemstone.objects.for_sale())
        else:
            base = diamonds_base(kind)
            base = fitting_stones(config["spec"], base.model, base)
        if kind == "gemstone":
            result = gemstone_search(request.GET, currency_rate=rate, base=base)
        else:
            result = diamond_search(request.GET, kind=kind, currency_rate=rate, base=base)
    metals = [
        {"value": metal, "label": label, "price": request_price(request, config["metals"][metal])}
        for metal, label in ((m, m.label) for m in config["metals"])
    ]
    total = None
    if len(stones) == config["stones"]:
        first_metal = next(iter(config["metals"]))
        total = sum(
            (request_price(request, s.current_price) for s in stones),
            request_price(request, config["metals"][first_metal]),
        )
    return render(
        request,
        "ring_builder/design.html",
        {
            "piece": piece,
            "config": config,
            "stones": [
                {"stone": s, "title": stone_title(s), "details": stone_details(s), "tint": stone_tint(s)}
                for s in stones
            ],
            "result": result,
            "kind": kind,
            "kinds": STONE_KINDS,
            "shapes": Shape.choices,
            "metals": metals,
            "total_from": total,
            "base_url": here,
            "complete": len(stones) == config["stones"],
        },
    )
