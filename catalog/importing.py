"""Supplier feeds: read a diamond feed as jewelers receive it, and the django-import-export resources that put it
into the catalog (and write the same columns back out).

Two layers:
- `parse_supplier_row` is pure: one row of a feed (a dict keyed by whatever headers the supplier used) in, the model
  fields out, or a `SupplierRowError` naming the row and every bad value in it.
- `DiamondResource` wires that into django-import-export with the shop's rules: the whole file is checked before
  anything is written; one bad row refuses the whole file; a Stock # already in the catalog is updated, not
  duplicated; a sold stone is never re-listed; a reservation is never touched; each saved change leaves a history
  record (the price history staff read in the admin)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import tablib
from django.core.exceptions import ValidationError
from import_export import resources
from import_export.fields import Field
from import_export.formats.base_formats import CSV
from import_export.instance_loaders import CachedInstanceLoader
from import_export.results import RowResult
from import_export.widgets import Widget

from .grades import (
    FancyHue,
    FancyIntensity,
    GradeError,
    Origin,
    StoneStatus,
    parse_clarity,
    parse_color,
    parse_cut,
    parse_finish,
    parse_fluorescence,
    parse_lab,
    parse_shape,
)
from .models import Diamond, Gemstone

CENT = Decimal("0.01")
MAX_PRICE = Decimal("9999999999.99")  # what the price columns hold (12 digits, 2 places)
MAX_CARAT = Decimal("999.99")
MAX_MM = Decimal("999.99")
PCT_RANGE = (Decimal(40), Decimal(90))

# The column our CSV reader adds so that every message names the row as the supplier's spreadsheet shows it.
LINE_COLUMN = "__line__"


# --- Headers -----------------------------------------------------------------------------------------------------
def _header_key(header: object) -> str:
    """'Stock No.' -> 'stockno', 'Depth %' -> 'depth%', '$/ct' -> '$/ct'."""
    return re.sub(r"[^a-z0-9#%$/]", "", str(header or "").lower())


# Canonical column (as the export writes it) -> the spellings suppliers use for it.
COLUMNS: dict[str, tuple[str, ...]] = {
    "Stock #": ("Stock #", "Stock No", "StockNo", "Stock Number", "Stock ID", "Stock", "SKU", "Lot #", "Lot No"),
    "Shape": ("Shape",),
    "Weight": ("Weight", "Carat", "Carats", "Size", "Carat Weight", "Ct", "Cts"),
    "Color": ("Color", "Colour"),
    "Clarity": ("Clarity",),
    "Cut": ("Cut", "Cut Grade"),
    "Polish": ("Polish", "Pol"),
    "Symmetry": ("Symmetry", "Sym", "Symm"),
    "Fluorescence": ("Fluorescence", "Fluor", "Flour", "Fluo", "Fluorescence Intensity"),
    "Lab": ("Lab", "Laboratory", "Grading Lab"),
    "Certificate #": (
        "Certificate #", "Certificate No", "Certificate Number", "Cert #", "Cert No", "Cert Number",
        "Report #", "Report No", "Report Number",
    ),
    "Depth %": ("Depth %", "Depth", "Depth Pct", "Depth Percent", "Total Depth", "Total Depth %"),
    "Table %": ("Table %", "Table", "Table Pct", "Table Percent"),
    "Measurements": ("Measurements", "Measurement", "Meas", "Dimensions"),
    "Price": ("Price", "Total Price", "Total", "Amount", "Price USD", "Price (USD)", "Total $"),
    "Price/Ct": ("Price/Ct", "Price Per Carat", "Price Per Ct", "Price/Carat", "$/ct", "PPC"),
    "Origin": ("Origin", "Growth", "Growth Type"),
    "Fancy Color": ("Fancy Color", "Fancy Colour", "Fancy Hue", "FC Color"),
    "Fancy Intensity": ("Fancy Intensity", "Intensity", "Fancy Color Intensity", "FC Intensity"),
    "Girdle": ("Girdle",),
    "Culet": ("Culet", "Culet Size"),
}  # fmt: skip
_ALIASES = {_header_key(alias): column for column, aliases in COLUMNS.items() for alias in aliases}
# Columns every feed must have; a price comes from Price or Price/Ct, a colour from Color or Fancy Color.
REQUIRED_COLUMNS = ("Stock #", "Shape", "Weight", "Clarity", "Cut", "Polish", "Symmetry", "Lab", "Certificate #",
                    "Depth %", "Table %")  # fmt: skip


def canonical_column(header: object) -> str | None:
    """The column a supplier's header means, or None for a column the import does not read."""
    return _ALIASES.get(_header_key(header))


def missing_columns(columns) -> list[str]:
    """What a file with these (canonical) columns lacks, as staff would read it."""
    present = set(columns)
    missing = [c for c in REQUIRED_COLUMNS if c not in present]
    if "Color" not in present and "Fancy Color" not in present:
        missing.append("Color (or Fancy Color)")
    if "Price" not in present and "Price/Ct" not in present:
        missing.append("Price (or Price/Ct)")
    return missing


# --- Values ------------------------------------------------------------------------------------------------------
_BLANKS = {"", "-", "--", "N/A", "NA", "#N/A"}
_NUMBER = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d+)?$")
_MEASUREMENTS = re.compile(
    r"^(?P<a>\d+(?:\.\d+)?)\s*(?P<sep>[-x×*])\s*(?P<b>\d+(?:\.\d+)?)\s*[x×*]\s*(?P<c>\d+(?:\.\d+)?)\s*(?:mm)?$",
    re.IGNORECASE,
)
_ORIGINS = {
    "NATURAL": Origin.NATURAL, "N": Origin.NATURAL, "NAT": Origin.NATURAL, "MINED": Origin.NATURAL,
    "EARTHMINED": Origin.NATURAL, "LABGROWN": Origin.LAB, "LAB": Origin.LAB, "LG": Origin.LAB,
    "LGD": Origin.LAB, "CVD": Origin.LAB, "HPHT": Origin.LAB, "LABCREATED": Origin.LAB,
    "LABGROWNDIAMOND": Origin.LAB,
}  # fmt: skip
_HUES = {h.name: h for h in FancyHue} | {"GREY": FancyHue.GRAY}
_INTENSITIES = {re.sub(r"[^A-Z]", "", i.label.upper()): i for i in FancyIntensity} | {
    "FV": FancyIntensity.FANCY_VIVID, "FI": FancyIntensity.FANCY_INTENSE, "FDP": FancyIntensity.FANCY_DEEP,
    "FDK": FancyIntensity.FANCY_DARK, "FL": FancyIntensity.FANCY_LIGHT, "VL": FancyIntensity.VERY_LIGHT,
}  # fmt: skip
# Words like "Purplish" or "Orangy" in "Fancy Intense Purplish Pink" qualify the hue; the last word is the hue.
_MODIFIER = re.compile(r"^[A-Z]+(ISH|Y)$")


class _Bad(ValueError):
    """One bad value; the parser turns it into a message naming the row and column."""


def _text(value: object) -> str:
    text = "" if value is None else str(value).strip()
    return "" if text.upper() in _BLANKS else text


def _number(text: str, *, strip: str = "") -> Decimal:
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    for token in strip.split():
        cleaned = re.sub(re.escape(token) + r"$", "", cleaned, flags=re.IGNORECASE)
        cleaned = re.sub("^" + re.escape(token), "", cleaned, flags=re.IGNORECASE)
    if not re.search(r"\d", cleaned) or not _NUMBER.match(cleaned):
        raise _Bad(f"{text!r} is not a number")
    try:
        return Decimal(cleaned.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern above only lets numbers through
        raise _Bad(f"{text!r} is not a number") from None


def parse_weight(text: str) -> Decimal:
    carat = _number(text, strip="cts ct")
    if carat <= 0:
        raise _Bad(f"{text!r} must be more than 0 ct")
    if carat != carat.quantize(CENT):
        raise _Bad(f"{text!r} has more than two decimal places")
    if carat > MAX_CARAT:
        raise _Bad(f"{text!r} is more than {MAX_CARAT} ct")
    return carat.quantize(CENT)


def parse_money(text: str) -> Decimal:
    amount = _number(text, strip="$ USD")
    if amount < 0:
        raise _Bad(f"{text!r} cannot be negative")
    if amount == 0:
        # Suppliers write 0 for "price on request"; a $0 stone must never go on sale.
        raise _Bad(f"{text!r} must be more than 0")
    return amount


def parse_percent(text: str) -> Decimal:
    pct = _number(text, strip="%")
    low, high = PCT_RANGE
    if not low <= pct <= high:
        raise _Bad(f"{text!r} is outside {low}–{high} %")
    return pct.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def parse_measurements(text: str) -> tuple[Decimal, Decimal, Decimal]:
    """'6.45 x 6.48 x 3.99', '6.45*6.48*3.99' or, for rounds, 'min-max x depth' -> (length, width, depth) in mm.

    Length is the longer of the first two figures (so a length/width ratio is never below 1), as the trade
    quotes it."""
    match = _MEASUREMENTS.match(text.replace(",", "."))
    if not match:
        raise _Bad(f"{text!r} is not length x width x depth in mm (e.g. 6.45 x 6.48 x 3.99)")
    a, b, depth = (Decimal(match[g]).quantize(CENT, rounding=ROUND_HALF_UP) for g in "abc")
    if min(a, b, depth) <= 0 or max(a, b, depth) > MAX_MM:
        raise _Bad(f"{text!r} has a figure outside 0–{MAX_MM} mm")
    return max(a, b), min(a, b), depth


def parse_origin(text: str) -> str:
    try:
        return _ORIGINS[re.sub(r"[^A-Z]", "", text.upper())]
    except KeyError:
        raise _Bad(f"{text!r} is not natural or lab-grown") from None


def parse_fancy_intensity(text: str) -> int:
    try:
        return _INTENSITIES[re.sub(r"[^A-Z]", "", text.upper())]
    except KeyError:
        raise _Bad(f"{text!r} is not a known fancy colour intensity") from None


def parse_fancy_colour(text: str) -> tuple[str, int | None]:
    """'Pink' -> (pink, None); 'Fancy Intense Purplish Pink' -> (pink, Fancy Intense). GIA's habit: the last word
    is the hue, the words before it that end in -ish or -y qualify it, anything before those is the intensity."""
    words = re.sub(r"[^A-Z ]", " ", text.upper()).split()
    if not words or words[-1] not in _HUES:
        raise _Bad(f"{text!r} is not a known fancy colour")
    hue = _HUES[words[-1]]
    rest = words[:-1]
    while rest and _MODIFIER.match(rest[-1]) and rest[-1] not in _INTENSITIES:
        rest.pop()
    intensity = parse_fancy_intensity(" ".join(rest)) if rest else None
    return hue, intensity


def parse_certificate(text: str) -> str:
    if re.match(r"^\d+(\.\d+)?E\+\d+$", text, re.IGNORECASE):
        raise _Bad(f"{text!r} was turned into a number by a spreadsheet; give the full report number")
    number = re.sub(r"\.0+$", "", text).replace(" ", "")
    if len(number) > 20:
        raise _Bad(f"{text!r} is longer than 20 characters")
    return number


def parse_stock_number(text: str) -> str:
    sku = text.strip().upper()
    if len(sku) > 24:
        raise _Bad(f"{text!r} is longer than 24 characters")
    return sku


# --- One row -----------------------------------------------------------------------------------------------------
class SupplierRowError(ValueError):
    """Everything wrong with one row: {column: [message, ...]}; each message names the row."""

    def __init__(self, line: int | None, errors: dict[str, list[str]]):
        super().__init__(line, errors)
        self.line = line
        self.errors = errors

    def __str__(self):
        return "; ".join(message for messages in self.errors.values() for message in messages)


def row_label(line: int | None) -> str:
    return f"Row {line}: " if line is not None else ""


def canonical_row(row: Mapping[str, object]) -> dict[str, object]:
    """The row keyed by canonical column names; columns the import does not read are dropped."""
    out: dict[str, object] = {}
    for header, value in row.items():
        column = canonical_column(header)
        if column is None:
            continue
        if column in out and _text(out[column]) and _text(value) and _text(out[column]) != _text(value):
            raise SupplierRowError(None, {column: [f"two columns give {column}: {out[column]!r} and {value!r}"]})
        if column not in out or not _text(out[column]):
            out[column] = value
    return out


def parse_supplier_row(row: Mapping[str, object], *, line: int | None = None) -> dict[str, object]:
    """One row of a supplier feed -> Diamond field values.

    Optional columns that are absent or blank are left out of the result, so an update keeps the stone's value and
    a new stone gets the model's default. Raises SupplierRowError listing every bad value of the row."""
    prefix = row_label(line)
    try:
        cells = {column: _text(value) for column, value in canonical_row(row).items()}
    except SupplierRowError as error:
        error.line = line
        error.errors = {c: [prefix + m for m in ms] for c, ms in error.errors.items()}
        raise
    errors: dict[str, list[str]] = {}
    values: dict[str, object] = {}

    def fail(column: str, reason: str) -> None:
        errors.setdefault(column, []).append(f"{prefix}{column} {reason}")

    def read(column, parse, *, required=True):
        text = cells.get(column, "")
        if not text:
            if required:
                fail(column, "is missing")
            return None
        try:
            return parse(text)
        except (GradeError, _Bad) as error:
            fail(column, str(error))
            return None

    grades = {
        "sku": ("Stock #", parse_stock_number),
        "shape": ("Shape", parse_shape),
        "carat": ("Weight", parse_weight),
        "clarity": ("Clarity", parse_clarity),
        "cut": ("Cut", parse_cut),
        "polish": ("Polish", parse_finish),
        "symmetry": ("Symmetry", parse_finish),
        "lab": ("Lab", parse_lab),
        "certificate_number": ("Certificate #", parse_certificate),
        "depth_pct": ("Depth %", parse_percent),
        "table_pct": ("Table %", parse_percent),
    }
    for name, (column, parse) in grades.items():
        values[name] = read(column, parse)
    for name, column, parse in (
        ("fluorescence", "Fluorescence", parse_fluorescence),
        ("origin", "Origin", parse_origin),
        ("girdle", "Girdle", lambda t: t[:40]),
        ("culet", "Culet", lambda t: t[:20]),
    ):
        value = read(column, parse, required=False)
        if value is not None:
            values[name] = value

    measurements = read("Measurements", parse_measurements, required=False)
    if measurements:
        values["length_mm"], values["width_mm"], values["depth_mm"] = measurements

    _read_colour(cells, values, fail)
    _read_price(cells, values, fail, read)

    if errors:
        raise SupplierRowError(line, errors)
    return values


def _read_colour(cells, values, fail) -> None:
    colour, fancy, intensity_text = cells.get("Color", ""), cells.get("Fancy Color", ""), cells.get("Fancy Intensity")
    hue = intensity = None
    try:
        if fancy:
            if colour and colour.upper() not in {"FANCY", "FC", "*"}:
                fail(
                    "Color", f"{colour!r} is given with Fancy Color {fancy!r}; a fancy colour diamond has no D–M grade"
                )
                return
            hue, intensity = parse_fancy_colour(fancy)
        elif colour:
            try:
                values.update(color=parse_color(colour), fancy_hue="", fancy_intensity=None)
                return
            except GradeError as error:
                # Some feeds write a fancy colour in the Color column: "Fancy Intense Yellow".
                try:
                    hue, intensity = parse_fancy_colour(colour)
                except _Bad:
                    fail("Color", str(error))
                    return
        else:
            fail("Color", "is missing")
            return
    except _Bad as error:
        fail("Fancy Color", str(error))
        return
    if intensity_text:
        try:
            intensity = parse_fancy_intensity(intensity_text)
        except _Bad as error:
            fail("Fancy Intensity", str(error))
            return
    if intensity is None:
        fail("Fancy Intensity", f"is missing for the fancy colour {hue.label}")
        return
    values.update(color=None, fancy_hue=hue, fancy_intensity=intensity)


def _read_price(cells, values, fail, read) -> None:
    if cells.get("Price"):
        price = read("Price", parse_money)
    elif cells.get("Price/Ct"):
        per_carat = read("Price/Ct", parse_money)
        carat = values.get("carat")
        price = (per_carat * carat) if per_carat is not None and carat is not None else None
    else:
        fail("Price", "is missing (give Price or Price/Ct)")
        return
    if price is None:
        return
    price = price.quantize(CENT, rounding=ROUND_HALF_UP)
    if price > MAX_PRICE:
        fail("Price", f"{price} is more than the catalog can hold")
        return
    values["price"] = price


# --- Reading files -----------------------------------------------------------------------------------------------
class SupplierFileError(ValueError):
    """A file the import cannot read at all (not a table, no header, missing columns)."""


def read_supplier_csv(data: bytes | str) -> tablib.Dataset:
    """A CSV as suppliers send it -> a Dataset with the file's line number of each row in LINE_COLUMN.

    Accepts UTF-8 (with or without Excel's byte-order mark) and Windows-1252; comma, semicolon, tab or pipe
    separated; skips blank lines (Excel leaves rows of empty cells at the end)."""
    if isinstance(data, bytes):
        for encoding in ("utf-8-sig", "cp1252", "latin-1"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    else:
        text = data.removeprefix("\ufeff")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t|", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    dataset = tablib.Dataset()
    headers = None
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if headers is None:
            headers = [c.strip() for c in cells]
            dataset.headers = [*headers, LINE_COLUMN]
            continue
        if len(cells) > len(headers):
            if any(c.strip() for c in cells[len(headers) :]):
                raise SupplierFileError(f"Row {reader.line_num} has more cells than the header row has columns.")
            cells = cells[: len(headers)]
        dataset.append([*cells, *[""] * (len(headers) - len(cells)), reader.line_num])
    if headers is None:
        raise SupplierFileError("The file is empty.")
    return dataset


class SupplierCSV(CSV):
    """django-import-export's CSV format, reading with read_supplier_csv."""

    def create_dataset(self, in_stream, **kwargs):
        return read_supplier_csv(in_stream)


# --- django-import-export ----------------------------------------------------------------------------------------
class UpperCaseWidget(Widget):
    """Stock numbers compare without regard to case or surrounding spaces."""

    def clean(self, value, row=None, **kwargs):
        return _text(value).upper() or None

    def render(self, value, obj=None, **kwargs):
        return value or ""


class SupplierRowResult(RowResult):
    """A row result that says why a row was skipped and which line of the file it was."""

    def __init__(self):
        super().__init__()
        self.note = ""
        self.line = None

    @property
    def label(self) -> str:
        if self.import_type == self.IMPORT_TYPE_SKIP:
            return self.note or "Skipped"
        return {"new": "New", "update": "Update", "delete": "Delete"}.get(self.import_type, self.import_type or "")


class SupplierDiff(resources.Diff):
    """The preview's before/after, in the supplier's own spellings (the export's). The base class reads the
    fields' attributes directly, which would leave the computed columns (measurements, colour...) blank."""

    def __init__(self, resource, instance, new):
        super().__init__(resource, instance, new)
        self.left = self._values(resource, instance)

    def compare_with(self, resource, instance):
        self.right = self._values(resource, instance)

    @staticmethod
    def _values(resource, instance):
        return [resource.export_field(f, instance) for f in resource.get_import_fields()]


UNCHANGED = "Unchanged"
LEFT_SOLD = "Left sold"
# Fields an import may set; everything else (status, reservation, sale price unless it must go, image, arrival) is
# the shop's, not the supplier's.
IMPORTED_FIELDS = (
    "sku", "shape", "carat", "color", "fancy_hue", "fancy_intensity", "clarity", "cut", "polish", "symmetry",
    "fluorescence", "lab", "certificate_number", "depth_pct", "table_pct", "length_mm", "width_mm", "depth_mm",
    "price", "sale_price", "origin", "girdle", "culet",
)  # fmt: skip


def _plain(value: Decimal | None, places: str = "0.01") -> str:
    return "" if value is None else str(value.quantize(Decimal(places)))


class DiamondResource(resources.ModelResource):
    """Diamonds in and out in the supplier's columns. See the module docstring for the rules."""

    stock = Field(attribute="sku", column_name="Stock #", widget=UpperCaseWidget())
    shape = Field(column_name="Shape")
    weight = Field(column_name="Weight")
    color = Field(column_name="Color")
    clarity = Field(column_name="Clarity")
    cut = Field(column_name="Cut")
    polish = Field(column_name="Polish")
    symmetry = Field(column_name="Symmetry")
    fluorescence = Field(column_name="Fluorescence")
    lab = Field(column_name="Lab")
    certificate = Field(column_name="Certificate #")
    depth = Field(column_name="Depth %")
    table = Field(column_name="Table %")
    measurements = Field(column_name="Measurements")
    price = Field(column_name="Price")
    origin = Field(column_name="Origin")
    fancy_color = Field(column_name="Fancy Color")
    fancy_intensity = Field(column_name="Fancy Intensity")
    girdle = Field(column_name="Girdle")
    culet = Field(column_name="Culet")

    class Meta:
        model = Diamond
        name = "Diamonds (supplier feed)"
        fields = (
            "stock", "shape", "weight", "color", "clarity", "cut", "polish", "symmetry", "fluorescence", "lab",
            "certificate", "depth", "table", "measurements", "price", "origin", "fancy_color", "fancy_intensity",
            "girdle", "culet",
        )  # fmt: skip
        import_order = export_order = fields
        import_id_fields = ("stock",)
        instance_loader_class = CachedInstanceLoader
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.file_error: str | None = None
        self.ignored_columns: list[str] = []
        self.parsed: dict[int, dict] = {}
        self.problems: dict[int, dict[str, list[str]]] = {}
        self.lines: dict[int, int] = {}
        self.notes: dict[int, str] = {}
        self._row_number: int | None = None

    # -- export, in the spellings the import reads back ---------------------------------------------------------
    def dehydrate_stock(self, d):
        return d.sku or ""

    def dehydrate_shape(self, d):
        return d.get_shape_display() if d.shape else ""

    def dehydrate_weight(self, d):
        return _plain(d.carat)

    def dehydrate_color(self, d):
        return d.get_color_display() if d.color else ""

    def dehydrate_clarity(self, d):
        return d.get_clarity_display() if d.clarity else ""

    def dehydrate_cut(self, d):
        return d.get_cut_display() if d.cut else ""

    def dehydrate_polish(self, d):
        return d.get_polish_display() if d.polish else ""

    def dehydrate_symmetry(self, d):
        return d.get_symmetry_display() if d.symmetry else ""

    def dehydrate_fluorescence(self, d):
        return d.get_fluorescence_display() if d.fluorescence else ""

    def dehydrate_lab(self, d):
        return d.lab or ""

    def dehydrate_certificate(self, d):
        return d.certificate_number or ""

    def dehydrate_depth(self, d):
        return _plain(d.depth_pct, "0.1")

    def dehydrate_table(self, d):
        return _plain(d.table_pct, "0.1")

    def dehydrate_measurements(self, d):
        parts = (d.length_mm, d.width_mm, d.depth_mm)
        return " x ".join(_plain(p) for p in parts) if all(p is not None for p in parts) else ""

    def dehydrate_price(self, d):
        return _plain(d.price)

    def dehydrate_origin(self, d):
        return d.get_origin_display() if d.origin else ""

    def dehydrate_fancy_color(self, d):
        return d.get_fancy_hue_display() if d.fancy_hue else ""

    def dehydrate_fancy_intensity(self, d):
        return d.get_fancy_intensity_display() if d.fancy_intensity else ""

    def dehydrate_girdle(self, d):
        return d.girdle or ""

    def dehydrate_culet(self, d):
        return d.culet or ""

    # -- import -------------------------------------------------------------------------------------------------
    @classmethod
    def get_row_result_class(cls):
        return SupplierRowResult

    @classmethod
    def get_diff_class(cls):
        return SupplierDiff

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        # All or nothing, whoever calls: in a transaction, rolled back if any row is bad.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True, **kwargs)

    def before_import(self, dataset, **kwargs):
        """Read the headers, then check every row, so that a bad file is refused before anything is written."""
        self.file_error, self.ignored_columns = None, []
        self.parsed, self.problems, self.lines, self.notes = {}, {}, {}, {}
        headers, seen = [], {}
        for header in dataset.headers or []:
            column = None if header == LINE_COLUMN else canonical_column(header)
            if column is None:
                if header != LINE_COLUMN and str(header).strip():
                    self.ignored_columns.append(str(header))
                headers.append(header)
            elif column in seen:
                self.file_error = f"Columns {seen[column]!r} and {header!r} both give {column}; keep one."
                return self._refuse()
            else:
                seen[column] = header
                headers.append(column)
        dataset.headers = headers
        if missing := missing_columns(seen):
            self.file_error = "The file has no " + ", no ".join(missing) + " column."
            return self._refuse()

        first_line: dict[str, int] = {}
        first_certificate: dict[tuple, tuple[int, int, str]] = {}
        for number, values in enumerate(dataset.dict, 1):
            line = int(values.get(LINE_COLUMN) or number + 1)
            self.lines[number] = line
            try:
                parsed = parse_supplier_row(values, line=line)
            except SupplierRowError as error:
                self.problems[number] = error.errors
                continue
            self.parsed[number] = parsed
            sku = parsed["sku"]
            if sku in first_line:
                self._problem(
                    number, "Stock #", f"Stock # {sku} is also on row {first_line[sku]}; list each stone once"
                )
                continue
            first_line[sku] = line
            certificate = (parsed["lab"], parsed["certificate_number"])
            if certificate in first_certificate:
                _, other_line, other_sku = first_certificate[certificate]
                self._problem(
                    number, "Certificate #",
                    f"{certificate[0]} certificate {certificate[1]} is also on row {other_line} ({other_sku})",
                )  # fmt: skip
            else:
                first_certificate[certificate] = (number, line, sku)
        self._check_certificates_in_catalog(first_certificate)

    def _refuse(self):
        raise SupplierFileError(self.file_error)

    def _problem(self, number: int, column: str, reason: str) -> None:
        self.problems.setdefault(number, {}).setdefault(column, []).append(f"{row_label(self.lines[number])}{reason}")
        self.parsed.pop(number, None)

    def _check_certificates_in_catalog(self, certificates: dict[tuple, tuple[int, int, str]]) -> None:
        """A lab report belongs to one stone: refuse a row whose report another stone in the catalog already has."""
        numbers = {number for _, number in certificates}
        taken = {
            (lab, number): sku
            for lab, number, sku in Diamond.objects.filter(certificate_number__in=numbers).values_list(
                "lab", "certificate_number", "sku"
            )
        }
        for certificate, (number, _, sku) in certificates.items():
            owner = taken.get(certificate)
            if owner is not None and owner != sku:
                self._problem(
                    number, "Certificate #",
                    f"{certificate[0]} certificate {certificate[1]} already belongs to stone {owner}",
                )  # fmt: skip

    def import_row(self, row, instance_loader, **kwargs):
        number = kwargs.get("row_number")
        if self.file_error:
            # The file was refused as a whole (reported once); its rows are not looked at.
            row_result = self.get_row_result_class()()
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            return row_result
        row_result = super().import_row(row, instance_loader, **kwargs)
        row_result.line = self.lines.get(number)
        row_result.note = self.notes.get(number, "")
        return row_result

    def before_import_row(self, row, **kwargs):
        self._row_number = kwargs.get("row_number")

    def import_instance(self, instance, row, **kwargs):
        number = kwargs["row_number"]
        if number in self.problems:
            raise ValidationError(self.problems[number])
        for name, value in self.parsed[number].items():
            setattr(instance, name, value)
        if instance.sale_price is not None and instance.sale_price > instance.price:
            # The new price is below the sale price, so that sale is over (and would break sale <= price).
            instance.sale_price = None

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        if original is None or original.pk is None:
            return False
        if original.status == StoneStatus.SOLD:
            # A sold stone stays sold and as it was sold: the supplier's row is not applied at all.
            for name in IMPORTED_FIELDS:
                setattr(instance, name, getattr(original, name))
            self.notes[self._row_number] = LEFT_SOLD
            return True
        if all(getattr(instance, name) == getattr(original, name) for name in IMPORTED_FIELDS):
            self.notes[self._row_number] = UNCHANGED
            return True
        return False

    def before_save_instance(self, instance, row, **kwargs):
        file_name = kwargs.get("file_name")
        instance._change_reason = f"Supplier import{f' ({file_name})' if file_name else ''}"

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.ignored_columns = self.ignored_columns
        result.summary = summarize(result)
        result.problems = problems_of(result)


def summarize(result) -> dict[str, int]:
    """Counts staff read on the preview and after the import: new, updated, unchanged, left sold, bad rows."""
    counts = {"new": 0, "updated": 0, "unchanged": 0, "left_sold": 0, "invalid": len(result.invalid_rows)}
    for row in result.rows:
        if row.import_type == RowResult.IMPORT_TYPE_NEW:
            counts["new"] += 1
        elif row.import_type == RowResult.IMPORT_TYPE_UPDATE:
            counts["updated"] += 1
        elif getattr(row, "note", "") == LEFT_SOLD:
            counts["left_sold"] += 1
        elif getattr(row, "note", "") == UNCHANGED:
            counts["unchanged"] += 1
    return counts


def problems_of(result) -> list[str]:
    """Every reason a result was refused, one line each, in file order."""
    lines = [str(error.error) for error in result.base_errors]
    for row in result.invalid_rows:
        lines += [message for messages in row.error_dict.values() for message in messages]
    for error_row in result.error_rows:
        for error in error_row.errors:
            line = (error.row or {}).get(LINE_COLUMN) or error_row.number + 1
            lines.append(f"Row {line}: {error.error}")
    return lines


class GemstoneResource(resources.ModelResource):
    """Gemstones out, for stock-taking; gemstones are entered in the admin."""

    stock = Field(attribute="sku", column_name="Stock #")
    kind = Field(column_name="Kind")
    shape = Field(column_name="Shape")
    weight = Field(attribute="carat", column_name="Weight")
    colour = Field(attribute="color", column_name="Colour")
    treatment = Field(column_name="Treatment")
    origin = Field(attribute="origin", column_name="Origin")
    lab = Field(attribute="lab", column_name="Lab")
    certificate = Field(attribute="certificate_number", column_name="Certificate #")
    measurements = Field(column_name="Measurements")
    price = Field(column_name="Price")
    sale_price = Field(column_name="Sale Price")
    status = Field(column_name="Status")

    class Meta:
        model = Gemstone
        name = "Gemstones"
        fields = (
            "stock", "kind", "shape", "weight", "colour", "treatment", "origin", "lab", "certificate",
            "measurements", "price", "sale_price", "status",
        )  # fmt: skip
        export_order = fields

    def dehydrate_kind(self, g):
        return g.get_kind_display()

    def dehydrate_shape(self, g):
        return g.get_shape_display()

    def dehydrate_treatment(self, g):
        return g.get_treatment_display()

    def dehydrate_measurements(self, g):
        parts = (g.length_mm, g.width_mm, g.depth_mm)
        return " x ".join(_plain(p) for p in parts) if all(p is not None for p in parts) else ""

    def dehydrate_price(self, g):
        return _plain(g.price)

    def dehydrate_sale_price(self, g):
        return _plain(g.sale_price)

    def dehydrate_status(self, g):
        return g.get_status_display()
