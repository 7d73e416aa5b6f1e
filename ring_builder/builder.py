"""The shopper's ring in progress: a setting in a metal, a centre stone, a ring size and an engraving.

The build lives in the session under one key (SESSION_KEY) as plain strings (slugs and SKUs, never prices: every
price is read from the catalog when shown). A signed-in shopper's build is also saved to their account
(SavedBuild), and any build can be given a share link. Services change the build (`build_<action>`, keyword-only
arguments) and either return None (done), return a Prompt (the shopper must answer first; nothing changed) or raise
BuildError with a message for the shopper (nothing changed). Whether a pair fits is only ever decided by
compatibility.check_fit."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from catalog.grades import GemKind, Metal, StoneStatus
from catalog.models import Diamond, Gemstone, RingSetting, SettingVariant
from checkout.currency import request_price
from checkout.money import Money

from . import prompts
from .compatibility import DIAMOND_KINDS, Fit, SettingSpec, StoneSpec, check_fit
from .delivery import delivered_by, shop_holidays, shop_today
from .engraving import engraving_problems, normalise
from .fitting import accepted_kinds
from .models import SavedBuild
from .prompts import CONFIRM_CLEAR, CONFIRM_REPLACE, Prompt, Suggestion
from .sizes import parse_size, size_label, size_value
from .suggestions import closest_fitting_settings, closest_fitting_stones

SESSION_KEY = "ring_build"
REF_MAX_LENGTH = 140
# The four stone searches of the builder, by URL name suffix: the kind of stone each shows.
STONE_KINDS = {
    "natural": "Natural diamonds",
    "lab": "Lab-grown diamonds",
    "fancy": "Fancy colour diamonds",
    "gemstone": "Gemstones",
}
STONE_TYPES = {"diamond": Diamond, "gemstone": Gemstone}


class BuildError(Exception):
    """A change the builder refused; the message is for the shopper, and nothing was changed."""


# --- State -------------------------------------------------------------------------------------------------------
@dataclass
class BuildState:
    setting: str = ""  # slug
    metal: str = ""
    stone_type: str = ""  # "diamond" or "gemstone"
    stone_sku: str = ""
    size: str = ""  # "6.25"
    engraving: str = ""
    first: str = ""  # what was chosen first: "setting" or "stone" (the order of the steps)
    stone_kind: str = ""  # the stone search last used: natural, lab, fancy or gemstone
    token: str = ""  # the SavedBuild this build is kept in, if any

    @classmethod
    def from_session(cls, raw) -> BuildState:
        """The stored build, with anything malformed dropped (a session is ours, but be strict anyway)."""
        if not isinstance(raw, dict):
            return cls()
        values = {
            f.name: raw[f.name]
            for f in fields(cls)
            if isinstance(raw.get(f.name), str) and len(raw[f.name]) <= REF_MAX_LENGTH
        }
        state = cls(**values)
        if state.metal not in Metal.values:
            state.metal = ""
        if state.stone_type not in STONE_TYPES or not state.stone_sku:
            state.stone_type = state.stone_sku = ""
        if parse_size(state.size) is None:
            state.size = ""
        if state.first not in ("setting", "stone"):
            state.first = ""
        if state.stone_kind not in STONE_KINDS:
            state.stone_kind = ""
        if engraving_problems(state.engraving):
            state.engraving = ""
        return state

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def is_empty(self) -> bool:
        return not self.setting and not self.stone_sku


# --- Reading the build ---------------------------------------------------------------------------------------------
def _variants() -> Prefetch:
    return Prefetch("variants", queryset=SettingVariant.objects.order_by("price", "metal"))


def stone_kind_of(stone) -> str:
    """The builder search a stone belongs to: natural, lab, fancy or gemstone."""
    return stone.kind if isinstance(stone, Diamond) else "gemstone"


def stone_title(stone) -> str:
    """ "1.00 Carat Round Diamond", "2.31 Carat Pear Lab-Grown Diamond", "1.50 Carat Oval Blue Sapphire"."""
    if stone is None:
        return ""
    if isinstance(stone, Diamond):
        if stone.is_fancy:
            return f"{stone.carat} Carat {stone.get_shape_display()} Fancy {stone.get_fancy_hue_display()} Diamond"
        lab = "Lab-Grown " if stone.origin == "lab" else ""
        return f"{stone.carat} Carat {stone.get_shape_display()} {lab}Diamond"
    return f"{stone.carat} Carat {stone.get_shape_display()} {stone.get_kind_display().title()}"


def stone_details(stone) -> str:
    if isinstance(stone, Diamond):
        return f"{stone.colour_label} · {stone.get_clarity_display()} · {stone.get_cut_display()} · {stone.lab}"
    return f"{stone.color} · {stone.get_treatment_display()}"


def stone_noun(stone) -> str:
    return "diamond" if isinstance(stone, Diamond) else GemKind(stone.kind).label.lower()


def stone_tint(stone) -> str:
    """The CSS tint class of a stone's drawing (catalog.css)."""
    if isinstance(stone, Diamond):
        return f"tint--{stone.fancy_hue}" if stone.is_fancy else ""
    return f"tint--gem-{stone.kind}"


def unavailable_reason(stone) -> str:
    if stone is None or stone.status == StoneStatus.AVAILABLE:
        return ""
    if stone.status == StoneStatus.SOLD:
        return "Sorry, this item has just been sold"
    return "This stone is reserved in another shopper's checkout"


def metal_label(metal: str) -> str:
    return Metal(metal).label if metal in Metal.values else ""


METAL_ORDER = {metal: i for i, metal in enumerate(Metal.values)}


def ordered_variants(setting) -> list[SettingVariant]:
    """A setting's metals as the shop lists them (14k white gold first … platinum last)."""
    return sorted(setting.variants.all(), key=lambda v: METAL_ORDER.get(v.metal, 99))


def default_metal(setting) -> str:
    """The metal a setting is first shown in: the least expensive, 14k white gold among equals."""
    variants = sorted(setting.variants.all(), key=lambda v: (v.price, METAL_ORDER.get(v.metal, 99)))
    return variants[0].metal if variants else ""


@dataclass
class Step:
    key: str
    number: int
    label: str
    url: str
    is_current: bool = False
    item_title: str = ""
    item_detail: str = ""
    item_url: str = ""
    price_usd: Decimal | None = None
    problem: str = ""

    @property
    def is_done(self) -> bool:
        return bool(self.item_title) and not self.problem


@dataclass
class Build:
    state: BuildState
    setting: RingSetting | None = None
    stone: Diamond | Gemstone | None = None
    notes: list[str] = field(default_factory=list)  # what changed by itself (a part gone from the catalog)

    @property
    def setting_spec(self) -> SettingSpec | None:
        return SettingSpec.of(self.setting) if self.setting is not None else None

    @property
    def stone_spec(self) -> StoneSpec | None:
        return StoneSpec.of(self.stone) if self.stone is not None else None

    @property
    def fit(self) -> Fit | None:
        if self.setting is None or self.stone is None:
            return None
        return check_fit(self.setting_spec, self.stone_spec)

    @property
    def variant(self) -> SettingVariant | None:
        if self.setting is None:
            return None
        return next((v for v in self.setting.variants.all() if v.metal == self.state.metal), None)

    @property
    def metal_label(self) -> str:
        return metal_label(self.state.metal)

    @property
    def size(self) -> Decimal | None:
        return parse_size(self.state.size)

    @property
    def size_label(self) -> str:
        return size_label(self.size) if self.size is not None else ""

    @property
    def is_empty(self) -> bool:
        return self.setting is None and self.stone is None

    @property
    def complete(self) -> bool:
        fit = self.fit
        return fit is not None and fit.fits and self.variant is not None

    @property
    def stone_problem(self) -> str:
        return unavailable_reason(self.stone)

    @property
    def stone_title(self) -> str:
        return stone_title(self.stone)

    @property
    def stone_noun(self) -> str:
        return stone_noun(self.stone) if self.stone is not None else "stone"

    @property
    def stone_kind(self) -> str:
        """The stone search to offer: the one last used if the setting takes such stones, else the first it does."""
        if self.stone is not None:
            return stone_kind_of(self.stone)
        preferred = self.state.stone_kind or "natural"
        if self.setting is None:
            return preferred
        kinds = searchable_kinds(self.setting_spec)
        return preferred if preferred in kinds or not kinds else kinds[0]

    @property
    def stone_step_label(self) -> str:
        if self.stone is not None:
            return "Gemstone" if isinstance(self.stone, Gemstone) else "Diamond"
        return "Gemstone" if self.stone_kind == "gemstone" else "Diamond"

    @property
    def next_url(self) -> str:
        if self.setting is not None and self.stone is not None:
            return reverse("ring_builder:review")
        if self.setting is not None:
            return stone_step_url(self.stone_kind)
        if self.stone is not None:
            return reverse("ring_builder:settings")
        return reverse("ring_builder:start")

    def steps(self, current: str = "") -> list[Step]:
        setting_step = Step("setting", 0, "Setting", reverse("ring_builder:settings"), current == "setting")
        if self.setting is not None:
            setting_step.item_title = self.setting.name
            setting_step.item_detail = self.metal_label
            setting_step.item_url = self.setting.get_absolute_url()
            setting_step.price_usd = self.variant.price if self.variant else None
        stone_step = Step("stone", 0, self.stone_step_label, stone_step_url(self.stone_kind), current == "stone")
        if self.stone is not None:
            stone_step.item_title = self.stone_title
            stone_step.item_detail = stone_details(self.stone)
            stone_step.item_url = self.stone.get_absolute_url()
            stone_step.price_usd = self.stone.current_price
            stone_step.problem = self.stone_problem
        review = Step("review", 0, "Review", reverse("ring_builder:review"), current == "review")
        ordered = [stone_step, setting_step] if self.state.first == "stone" else [setting_step, stone_step]
        for number, step in enumerate([*ordered, review], start=1):
            step.number = number
        return [*ordered, review]


def stone_step_url(kind: str) -> str:
    return reverse(f"ring_builder:stones_{kind if kind in STONE_KINDS else 'natural'}")


def searchable_kinds(spec: SettingSpec) -> list[str]:
    """The builder searches (natural, lab, fancy, gemstone) that have stones this setting takes."""
    kinds = accepted_kinds(spec)
    found = [k for k in DIAMOND_KINDS if k in kinds]
    if any(k not in DIAMOND_KINDS for k in kinds):
        found.append("gemstone")
    return found


def _holds_a_centre_stone(setting) -> bool:
    return setting.requires_center_stone and SettingSpec.of(setting).holds_a_stone


def load_setting(slug: str) -> RingSetting | None:
    """An active setting with its metals (two queries), or None."""
    if not slug or len(slug) > REF_MAX_LENGTH:
        return None
    return RingSetting.objects.filter(slug=slug, is_active=True).prefetch_related(_variants()).first()


def load_stone(stone_type: str, sku: str) -> Diamond | Gemstone | None:
    model = STONE_TYPES.get(stone_type)
    if model is None or not sku or len(sku) > REF_MAX_LENGTH:
        return None
    return model.objects.filter(sku=sku).first()


def build_get(request) -> Build:
    """The shopper's build with its parts loaded (at most three queries), read once per request. A part gone from
    the catalog (or a setting no longer offered) leaves the build, with a note saying so."""
    cached = getattr(request, "_ring_build", None)
    if cached is not None:
        return cached
    state = BuildState.from_session(request.session.get(SESSION_KEY))
    build = Build(state=state)
    if state.setting:
        build.setting = load_setting(state.setting)
        if build.setting is not None and not _holds_a_centre_stone(build.setting):
            build.setting = None  # changed by the shop since: it no longer takes a centre stone
        if build.setting is None:
            build.notes.append("The setting you had chosen is no longer offered, so it has left your ring.")
            state.setting = state.metal = ""
    if state.stone_sku:
        build.stone = load_stone(state.stone_type, state.stone_sku)
        if build.stone is None:
            build.notes.append("The stone you had chosen is no longer in our collection, so it has left your ring.")
            state.stone_type = state.stone_sku = ""
    if build.setting is not None and build.variant is None:
        state.metal = default_metal(build.setting)
    if build.notes:
        request.session[SESSION_KEY] = state.as_dict()
    request._ring_build = build
    return build


# --- Changing the build --------------------------------------------------------------------------------------------
def _signed_in_user(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _store(request, state: BuildState, *, setting, stone) -> None:
    """Keep `state` in the session, and in the shopper's saved build when there is one (signed in, or shared)."""
    user = _signed_in_user(request)
    if user is not None or state.token:
        saved = SavedBuild.objects.filter(token=state.token).first() if state.token else None
        if saved is not None and saved.owner_id is not None and (user is None or saved.owner_id != user.pk):
            saved = None  # someone else's design: never written to; this build gets its own
        if saved is None and not state.is_empty:
            saved = SavedBuild(owner=user)
        if saved is not None:
            if saved.owner_id is None and user is not None:
                saved.owner = user
            _fill_saved(saved, state, setting=setting, stone=stone)
            saved.save()
            state.token = saved.token
    request.session[SESSION_KEY] = state.as_dict()
    request._ring_build = Build(state=state, setting=setting, stone=stone)


def _fill_saved(saved: SavedBuild, state: BuildState, *, setting, stone) -> None:
    saved.setting = setting
    saved.metal = state.metal if setting is not None else ""
    saved.diamond = stone if isinstance(stone, Diamond) else None
    saved.gemstone = stone if isinstance(stone, Gemstone) else None
    saved.ring_size = parse_size(state.size)
    saved.engraving = state.engraving
    saved.first_choice = state.first


def _back(build: Build) -> str:
    return build.next_url


def _metals(setting) -> list[str]:
    return [v.metal for v in ordered_variants(setting)]


def build_choose_setting(
    request, *, setting: RingSetting, metal: str = "", confirm: str = "", stone_kind: str = ""
) -> Prompt | None:
    """Put `setting` in the ring: in `metal`, else in the build's metal if it is made in it, else in its least
    expensive one."""
    build = build_get(request)
    spec = SettingSpec.of(setting)
    if not setting.is_active:
        raise BuildError(f"The {setting.name} is no longer offered.")
    if not _holds_a_centre_stone(setting):
        raise BuildError(f"The {setting.name} has no centre stone; add it to your bag from its own page.")
    metals = _metals(setting)
    if not metals:
        raise BuildError(f"The {setting.name} cannot be ordered just now. Please call us.")
    if metal and metal not in metals:
        raise BuildError(f"The {setting.name} is not made in {metal_label(metal) or 'that metal'}.")
    metal = metal or (build.state.metal if build.state.metal in metals else default_metal(setting))
    same = build.setting is not None and build.setting.pk == setting.pk
    stone = build.stone
    if stone is not None and stone.status != StoneStatus.AVAILABLE:
        stone = None  # a stone sold since it was chosen is let go, not argued about
    if stone is not None:
        fit = check_fit(spec, StoneSpec.of(stone))
        if not fit.fits:
            if confirm != CONFIRM_CLEAR:
                return _incompatible(
                    request, build, setting=setting, stone=stone, fit=fit, choosing="setting", metal=metal
                )
            stone = None
    if build.setting is not None and not same and confirm not in (CONFIRM_REPLACE, CONFIRM_CLEAR):
        return prompts.replace_setting(current=build.setting, new=setting, metal=metal, back=_back(build))
    state = replace(build.state, setting=setting.slug, metal=metal)
    if stone is None:
        state.stone_type = state.stone_sku = ""
        state.first = "setting"
    elif not state.first:
        state.first = "stone"
    if stone_kind in STONE_KINDS:
        state.stone_kind = stone_kind
    if parse_size(state.size, low=setting.ring_size_min, high=setting.ring_size_max) is None:
        state.size = ""
    _store(request, state, setting=setting, stone=stone)
    return None


def build_choose_stone(request, *, stone: Diamond | Gemstone, confirm: str = "") -> Prompt | None:
    """Put `stone` in the ring as its centre stone."""
    build = build_get(request)
    if stone.status != StoneStatus.AVAILABLE:
        noun = stone_noun(stone)
        if stone.status == StoneStatus.SOLD:
            raise BuildError(f"Sorry, this {noun} has just been sold.")
        raise BuildError(f"Sorry, this {noun} is reserved in another shopper's checkout.")
    if build.stone is not None and type(build.stone) is type(stone) and build.stone.pk == stone.pk:
        return None
    setting = build.setting
    if setting is not None:
        fit = check_fit(SettingSpec.of(setting), StoneSpec.of(stone))
        if not fit.fits:
            if confirm != CONFIRM_CLEAR:
                return _incompatible(
                    request, build, setting=setting, stone=stone, fit=fit, choosing="stone", metal=build.state.metal
                )
            setting = None
    current = build.stone
    if (
        current is not None
        and current.status == StoneStatus.AVAILABLE
        and confirm not in (CONFIRM_REPLACE, CONFIRM_CLEAR)
    ):
        return prompts.replace_stone(
            current=current,
            new=stone,
            current_title=stone_title(current),
            new_title=stone_title(stone),
            back=_back(build),
        )
    state = replace(
        build.state,
        stone_type="diamond" if isinstance(stone, Diamond) else "gemstone",
        stone_sku=stone.sku,
        stone_kind=stone_kind_of(stone),
    )
    if setting is None:
        state.setting = state.metal = state.size = ""
        state.first = "stone"
    elif not state.first:
        state.first = "setting"
    _store(request, state, setting=setting, stone=stone)
    return None


def _incompatible(request, build, *, setting, stone, fit: Fit, choosing: str, metal: str) -> Prompt:
    if choosing == "stone":
        # The shopper keeps the setting: offer the stones nearest the one they picked that it does hold.
        found = closest_fitting_stones(SettingSpec.of(setting), stone)
        suggestions = [_stone_suggestion(s) for s in found]
    else:
        # The shopper keeps the stone: offer settings that hold it, the style they picked first.
        settings = list(
            RingSetting.objects.filter(is_active=True, requires_center_stone=True).prefetch_related(_variants())
        )
        found = closest_fitting_settings(StoneSpec.of(stone), settings, like=setting, metal=metal)
        suggestions = [_setting_suggestion(s, metal) for s in found]
    return prompts.incompatible(
        setting=setting,
        stone=stone,
        noun=stone_noun(stone),
        reasons=[r.message for r in fit.reasons],
        choosing=choosing,
        suggestions=suggestions,
        metal=metal,
        back=_back(build),
    )


def _stone_suggestion(stone) -> Suggestion:
    return Suggestion(
        title=stone_title(stone),
        detail=stone_details(stone),
        price_usd=stone.current_price,
        url=stone.get_absolute_url(),
        choose=prompts.choose_action(
            "Choose this stone", kind=prompts.stone_type(stone), ref=stone.sku, confirm=CONFIRM_REPLACE
        ),
        shape=stone.shape,
        tint=stone_tint(stone),
    )


def _setting_suggestion(setting, metal: str) -> Suggestion:
    variants = list(setting.variants.all())
    chosen = next((v for v in variants if v.metal == metal), None)
    chosen = chosen or next((v for v in variants if v.metal == default_metal(setting)), None)
    return Suggestion(
        title=setting.name,
        detail=f"{setting.get_style_display()} · holds {setting.min_carat}–{setting.max_carat} ct",
        price_usd=chosen.price if chosen else Decimal(0),
        url=setting.get_absolute_url(),
        choose=prompts.choose_action(
            "Choose this setting",
            kind="setting",
            ref=setting.slug,
            metal=chosen.metal if chosen else "",
            confirm=CONFIRM_REPLACE,
        ),
    )


def build_remove(request, *, part: str) -> None:
    """Take the setting or the stone out of the ring (or start over with "all")."""
    build = build_get(request)
    state = replace(build.state)
    setting, stone = build.setting, build.stone
    if part in ("setting", "all"):
        setting = None
        state.setting = state.metal = state.size = ""
    if part in ("stone", "all"):
        stone = None
        state.stone_type = state.stone_sku = ""
    if part == "all":
        state = BuildState(stone_kind=state.stone_kind, token=state.token)
    state.first = "" if setting is None and stone is None else ("setting" if stone is None else "stone")
    _store(request, state, setting=setting, stone=stone)


def build_update_details(request, *, metal: str, size: Decimal | None, engraving: str) -> None:
    """The review page's choices, already validated by ReviewForm; checked again here so no caller can store a
    metal the setting lacks, a size outside it, or an engraving that cannot be cut."""
    build = build_get(request)
    if build.setting is None:
        raise BuildError("Choose a setting first.")
    if metal not in _metals(build.setting):
        raise BuildError(f"The {build.setting.name} is not made in {metal_label(metal) or 'that metal'}.")
    engraving = normalise(engraving)
    if problems := engraving_problems(engraving):
        raise BuildError(problems[0])
    if (
        size is not None
        and parse_size(size_value(size), low=build.setting.ring_size_min, high=build.setting.ring_size_max) is None
    ):
        raise BuildError("That ring size is not made for this setting.")
    state = replace(build.state, metal=metal, size=size_value(size) if size is not None else "", engraving=engraving)
    _store(request, state, setting=build.setting, stone=build.stone)


def build_share(request) -> SavedBuild:
    """A share link for the build: the saved build, created if it has none yet."""
    build = build_get(request)
    if build.is_empty:
        raise BuildError("Choose a setting or a stone first; then your design can be shared.")
    state = replace(build.state)
    user = _signed_in_user(request)
    saved = SavedBuild.objects.filter(token=state.token).first() if state.token else None
    if saved is None or (saved.owner_id is not None and (user is None or saved.owner_id != user.pk)):
        saved = SavedBuild(owner=user)
    _fill_saved(saved, state, setting=build.setting, stone=build.stone)
    saved.save()
    state.token = saved.token
    request.session[SESSION_KEY] = state.as_dict()
    request._ring_build = Build(state=state, setting=build.setting, stone=build.stone)
    return saved


def build_add_to_bag(request) -> None:
    """The finished ring goes into the bag as one line; the build is then done with (its saved copy stays, marked)."""
    from checkout.bag import BagError, bag_add_ring

    build = build_get(request)
    if build.setting is None or build.stone is None:
        raise BuildError("Choose a setting and a centre stone first.")
    if problem := build.stone_problem:
        raise BuildError(f"{problem}. Please choose another {build.stone_noun}.")
    fit = build.fit
    if not fit.fits:
        raise BuildError(" ".join(r.message for r in fit.reasons))
    if build.size is None:
        raise BuildError("Choose a ring size.")
    try:
        bag_add_ring(
            request,
            setting=build.setting,
            metal=build.state.metal,
            size=build.size,
            stone=build.stone,
            engraving=build.state.engraving,
        )
    except BagError as error:
        raise BuildError(str(error)) from error
    if build.state.token:
        SavedBuild.objects.filter(token=build.state.token).update(added_to_bag_at=timezone.now())
    request.session[SESSION_KEY] = BuildState(stone_kind=build.state.stone_kind).as_dict()
    request.__dict__.pop("_ring_build", None)


# --- Saved and shared builds ---------------------------------------------------------------------------------------
def saved_build_get(token: str) -> SavedBuild | None:
    """A saved build by its share token, with its parts: three queries."""
    if not token or len(token) > 40:
        return None
    return (
        SavedBuild.objects.select_related("setting", "diamond", "gemstone")
        .prefetch_related(Prefetch("setting__variants", queryset=SettingVariant.objects.order_by("price", "metal")))
        .filter(token=token)
        .first()
    )


def saved_builds(user, *, limit: int = 6) -> list[SavedBuild]:
    """A signed-in shopper's designs not yet in the bag, newest first."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        SavedBuild.objects.filter(owner=user, added_to_bag_at__isnull=True)
        .exclude(setting__isnull=True, diamond__isnull=True, gemstone__isnull=True)
        .select_related("setting", "diamond", "gemstone")[:limit]
    )


def shared_view(saved: SavedBuild) -> Build:
    """A saved build as a Build (for showing it), without touching anyone's session."""
    stone = saved.stone
    state = BuildState(
        setting=saved.setting.slug if saved.setting and saved.setting.is_active else "",
        metal=saved.metal,
        stone_type="diamond" if saved.diamond_id else ("gemstone" if saved.gemstone_id else ""),
        stone_sku=stone.sku if stone is not None else "",
        size=size_value(saved.ring_size) if saved.ring_size is not None else "",
        engraving=saved.engraving,
        first=saved.first_choice if saved.first_choice in ("setting", "stone") else "",
    )
    setting = saved.setting if saved.setting is not None and saved.setting.is_active else None
    return Build(state=state, setting=setting, stone=stone)


def build_use_saved(request, *, saved: SavedBuild) -> list[str]:
    """Start from a saved or shared design: its parts become the shopper's build. A design of the shopper's own
    is resumed (same saved build); anyone else's is copied, never changed. Returns notes for the shopper."""
    user = _signed_in_user(request)
    own = saved.owner_id is not None and user is not None and saved.owner_id == user.pk
    view = shared_view(saved)
    notes = []
    stone = view.stone
    if stone is not None and stone.status != StoneStatus.AVAILABLE:
        notes.append(f"{unavailable_reason(stone)}: the {stone_title(stone)} is not in your ring; choose another.")
        stone = None
    setting = view.setting
    if saved.setting is not None and setting is None:
        notes.append(f"The {saved.setting.name} is no longer offered; choose another setting.")
    state = replace(view.state, token=saved.token if own else "")
    if stone is None:
        state.stone_type = state.stone_sku = ""
    if setting is None:
        state.setting = state.metal = state.size = ""
    if setting is not None and state.metal not in _metals(setting):
        state.metal = default_metal(setting)
    state.first = state.first or ("stone" if setting is None and stone is not None else "setting")
    _store(request, state, setting=setting, stone=stone)
    return notes


def build_delete_saved(request, *, token: str) -> None:
    user = _signed_in_user(request)
    saved = SavedBuild.objects.filter(token=token, owner=user).first() if user is not None and token else None
    if saved is None:
        raise BuildError("That design is not in your account, so nothing was changed.")
    saved.delete()
    state = BuildState.from_session(request.session.get(SESSION_KEY))
    if state.token == token:
        request.session[SESSION_KEY] = replace(state, token="").as_dict()
        request.__dict__.pop("_ring_build", None)


def build_resume(request, *, token: str) -> list[str]:
    user = _signed_in_user(request)
    saved = saved_build_get(token) if user is not None else None
    if saved is None or saved.owner_id != user.pk:
        raise BuildError("That design is not in your account, so nothing was changed.")
    return build_use_saved(request, saved=saved)


def build_merge_on_login(request, *, user) -> None:
    """On sign-in, the design in progress is saved to the account; with none in progress, the account's latest
    unfinished design is picked up again."""
    state = BuildState.from_session(request.session.get(SESSION_KEY))
    request.__dict__.pop("_ring_build", None)
    if not state.is_empty:
        build = build_get(request)
        _store(request, replace(build.state), setting=build.setting, stone=build.stone)
        return
    latest = next(iter(saved_builds(user, limit=1)), None)
    if latest is not None:
        build_use_saved(request, saved=latest)


# --- Prices ------------------------------------------------------------------------------------------------------
@dataclass
class Quote:
    setting: Money
    stone: Money
    total: Money
    production_days: int
    delivered_by: date


def build_quote(request, build: Build, *, today: date | None = None) -> Quote | None:
    """The ring's price in the shopper's currency (each part converted, then added) and its delivery date."""
    variant = build.variant
    if variant is None or build.stone is None:
        return None
    setting_price = request_price(request, variant.price)
    stone_price = request_price(request, build.stone.current_price)
    days = build.setting.production_days
    return Quote(
        setting=setting_price,
        stone=stone_price,
        total=setting_price + stone_price,
        production_days=days,
        delivered_by=delivered_by(ordered_on=today or shop_today(), production_days=days, holidays=shop_holidays()),
    )


def metal_options(request, setting) -> list[dict]:
    return [
        {"value": v.metal, "label": v.get_metal_display(), "price": request_price(request, v.price)}
        for v in ordered_variants(setting)
    ]
