"""The supplier feed: how its spellings are read (pure table tests), and what importing a file does to the catalog."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import tablib
from django.utils import timezone

from catalog.grades import Clarity, Color, Cut, FancyHue, FancyIntensity, Finish, Fluorescence, Lab, Origin, Shape
from catalog.importing import (
    LEFT_SOLD,
    UNCHANGED,
    DiamondResource,
    GemstoneResource,
    SupplierFileError,
    SupplierRowError,
    canonical_column,
    parse_supplier_row,
    read_supplier_csv,
)
from catalog.models import Diamond
from tests.factories import DiamondFactory, GemstoneFactory

DATA = Path(__file__).parent / "data"

# A 1.00 ct round as a supplier writes it; each table test changes one cell.
ROW = {
    "Stock #": "JA-1",
    "Shape": "Round",
    "Weight": "1.00",
    "Color": "G",
    "Clarity": "VS2",
    "Cut": "Ideal",
    "Polish": "Excellent",
    "Symmetry": "Excellent",
    "Fluorescence": "None",
    "Lab": "GIA",
    "Certificate #": "2141438167",
    "Depth %": "61.8",
    "Table %": "57",
    "Measurements": "6.42 x 6.40 x 3.96",
    "Price": "6000",
}


def row(**changes):
    """ROW with cells changed (a value of None removes the column)."""
    out = dict(ROW)
    for column, value in changes.items():
        column = column.replace("_", " ")
        if value is None:
            out.pop(column, None)
        else:
            out[column] = value
    return out


# --- Parsing: headers ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Stock #", "Stock #"), ("stock #", "Stock #"), ("Stock No", "Stock #"), ("StockNo", "Stock #"),
        ("Stock No.", "Stock #"), ("SKU", "Stock #"), ("sku", "Stock #"),
        ("Weight", "Weight"), ("Carat", "Weight"), ("Carats", "Weight"), ("Size", "Weight"),
        ("Color", "Color"), ("Colour", "Color"), ("COLOR", "Color"),
        ("Certificate #", "Certificate #"), ("Cert #", "Certificate #"), ("Report #", "Certificate #"),
        ("Certificate No", "Certificate #"), ("Cert No.", "Certificate #"),
        ("Measurements", "Measurements"), ("Measurement", "Measurements"),
        ("Price", "Price"), ("Total Price", "Price"),
        ("Price/Ct", "Price/Ct"), ("Price Per Carat", "Price/Ct"), ("$/ct", "Price/Ct"), ("$/CT", "Price/Ct"),
        ("Depth %", "Depth %"), ("Depth", "Depth %"), ("Table %", "Table %"), ("Table", "Table %"),
        ("Fluorescence", "Fluorescence"), ("Fluor", "Fluorescence"), ("Flour", "Fluorescence"),
        ("Fluor.", "Fluorescence"), ("Lab", "Lab"), ("Origin", "Origin"), ("Growth", "Origin"),
        ("Polish", "Polish"), ("Sym", "Symmetry"), ("Fancy Colour", "Fancy Color"),
        ("Location", None), ("Rap %", None), ("Image URL", None),
    ],
)  # fmt: skip
def test_header_spellings(header, column):
    assert canonical_column(header) == column


def test_a_row_keyed_by_supplier_headers_parses_like_the_canonical_one():
    supplier = {
        "StockNo": "JA-1", "shape": "RD", "Carats": "1.00", "Colour": "G", "Clarity": "VS2", "Cut": "EX",
        "Pol": "EX", "Sym": "EX", "Flour": "None", "Lab": "GIA", "Report #": "2141438167", "Depth": "61.8",
        "Table": "57", "Measurement": "6.42 x 6.40 x 3.96", "Total Price": "6000", "Location": "NY",
    }  # fmt: skip
    assert parse_supplier_row(supplier) == parse_supplier_row(ROW)


# --- Parsing: grade spellings ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("column", "value", "field", "expected"),
    [
        ("Shape", "RD", "shape", Shape.ROUND), ("Shape", "Round", "shape", Shape.ROUND),
        ("Shape", "round brilliant", "shape", Shape.ROUND), ("Shape", "OV", "shape", Shape.OVAL),
        ("Shape", "PS", "shape", Shape.PEAR), ("Shape", "Cushion Modified", "shape", Shape.CUSHION),
        ("Cut", "EX", "cut", Cut.IDEAL), ("Cut", "Excellent", "cut", Cut.IDEAL), ("Cut", "VG", "cut", Cut.VERY_GOOD),
        ("Cut", "Very Good", "cut", Cut.VERY_GOOD), ("Cut", "True Hearts", "cut", Cut.TRUE_HEARTS),
        ("Polish", "EX", "polish", Finish.EXCELLENT), ("Polish", "VG", "polish", Finish.VERY_GOOD),
        ("Symmetry", "G", "symmetry", Finish.GOOD), ("Symmetry", "Excellent", "symmetry", Finish.EXCELLENT),
        ("Color", "d", "color", Color.D), ("Color", " H ", "color", Color.H),
        ("Clarity", "VVS1", "clarity", Clarity.VVS1), ("Clarity", "si-2", "clarity", Clarity.SI2),
        ("Clarity", "I1", "clarity", Clarity.I1),
        ("Fluorescence", "None", "fluorescence", Fluorescence.NONE),
        ("Fluorescence", "N", "fluorescence", Fluorescence.NONE),
        ("Fluorescence", "Faint", "fluorescence", Fluorescence.FAINT),
        ("Fluorescence", "FNT", "fluorescence", Fluorescence.FAINT),
        ("Fluorescence", "Medium Blue", "fluorescence", None),  # not a spelling the scale knows: an error
        ("Fluorescence", "STG", "fluorescence", Fluorescence.STRONG),
        ("Fluorescence", "Very Strong", "fluorescence", Fluorescence.VERY_STRONG),
        ("Lab", "gia", "lab", Lab.GIA), ("Lab", "IGI", "lab", Lab.IGI),
        ("Origin", "Natural", "origin", Origin.NATURAL), ("Origin", "Lab Grown", "origin", Origin.LAB),
        ("Origin", "Lab-grown", "origin", Origin.LAB), ("Origin", "LGD", "origin", Origin.LAB),
        ("Origin", "CVD", "origin", Origin.LAB), ("Origin", "HPHT", "origin", Origin.LAB),
        ("Weight", "1.01 ct", "carat", Decimal("1.01")), ("Weight", "2", "carat", Decimal("2.00")),
        ("Depth %", "61.8%", "depth_pct", Decimal("61.8")), ("Table %", "57.0", "table_pct", Decimal("57.0")),
        ("Price", "$6,450.00", "price", Decimal("6450.00")), ("Price", "12 500", "price", Decimal("12500.00")),
        ("Certificate #", "2141438167.0", "certificate_number", "2141438167"),
        ("Stock #", " ja-7 ", "sku", "JA-7"),
    ],
)  # fmt: skip
def test_supplier_spellings(column, value, field, expected):
    if expected is None:
        with pytest.raises(SupplierRowError):
            parse_supplier_row(row(**{column: value}))
        return
    assert parse_supplier_row(row(**{column: value}))[field] == expected


@pytest.mark.parametrize(
    ("text", "length", "width", "depth"),
    [
        ("6.45 x 6.48 x 3.99", "6.48", "6.45", "3.99"),
        ("6.45*6.48*3.99", "6.48", "6.45", "3.99"),
        ("6.45-6.48x3.99", "6.48", "6.45", "3.99"),
        ("6.45 - 6.48 x 3.99 mm", "6.48", "6.45", "3.99"),
        ("8.92 X 6.31 X 3.94", "8.92", "6.31", "3.94"),
        ("8.92 × 6.31 × 3.94", "8.92", "6.31", "3.94"),
    ],
)
def test_measurements_put_the_longer_side_first(text, length, width, depth):
    parsed = parse_supplier_row(row(Measurements=text))
    assert (parsed["length_mm"], parsed["width_mm"], parsed["depth_mm"]) == (
        Decimal(length),
        Decimal(width),
        Decimal(depth),
    )


@pytest.mark.parametrize(
    ("per_carat", "weight", "price"),
    [
        ("6,385.50", "1.01", "6449.36"),
        ("1000.10", "1.25", "1250.13"),  # 1250.125: half-up, not banker's rounding (which would give .12)
        ("$/ct 1180", "1.52", None),
        ("1180.00", "1.52", "1793.60"),
    ],
)
def test_price_per_carat_times_weight_is_rounded_half_up_to_the_cent(per_carat, weight, price):
    cells = row(Price=None, Weight=weight, **{"Price/Ct": per_carat})
    if price is None:
        with pytest.raises(SupplierRowError, match="is not a number"):
            parse_supplier_row(cells)
        return
    assert parse_supplier_row(cells)["price"] == Decimal(price)


@pytest.mark.parametrize(
    ("colour", "fancy", "intensity", "hue", "grade"),
    [
        ("", "Yellow", "Fancy Intense", FancyHue.YELLOW, FancyIntensity.FANCY_INTENSE),
        ("Fancy", "Pink", "Fancy Vivid", FancyHue.PINK, FancyIntensity.FANCY_VIVID),
        ("", "Purplish Pink", "FV", FancyHue.PINK, FancyIntensity.FANCY_VIVID),
        ("", "Grey", "Fancy Dark", FancyHue.GRAY, FancyIntensity.FANCY_DARK),
        ("Fancy Intense Yellow", "", "", FancyHue.YELLOW, FancyIntensity.FANCY_INTENSE),
        ("Fancy Light Brownish Pink", "", "", FancyHue.PINK, FancyIntensity.FANCY_LIGHT),
    ],
)
def test_fancy_colours(colour, fancy, intensity, hue, grade):
    parsed = parse_supplier_row(row(Color=colour, **{"Fancy Color": fancy, "Fancy Intensity": intensity}))
    assert (parsed["color"], parsed["fancy_hue"], parsed["fancy_intensity"]) == (None, hue, grade)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"Color": "Q"}, "Row 7: Color 'Q' is not a known colour grade"),
        ({"Shape": "Trillion"}, "Row 7: Shape 'Trillion' is not a known shape"),
        ({"Cut": "Superb"}, "Row 7: Cut 'Superb' is not a known cut grade"),
        ({"Clarity": "SI3"}, "Row 7: Clarity 'SI3' is not a known clarity grade"),
        ({"Lab": "EGL"}, "Row 7: Lab 'EGL' is not a known lab"),
        ({"Weight": "0"}, "Row 7: Weight '0' must be more than 0 ct"),
        ({"Weight": "-0.5"}, "Row 7: Weight '-0.5' must be more than 0 ct"),
        ({"Weight": "1,01"}, "Row 7: Weight '1,01' is not a number"),
        ({"Weight": "1.015"}, "Row 7: Weight '1.015' has more than two decimal places"),
        ({"Price": "-100"}, "Row 7: Price '-100' cannot be negative"),
        ({"Price": "0"}, "Row 7: Price '0' must be more than 0"),
        ({"Price": None}, "Row 7: Price is missing (give Price or Price/Ct)"),
        ({"Depth %": "95"}, "Row 7: Depth % '95' is outside 40–90 %"),
        ({"Table %": "39.9"}, "Row 7: Table % '39.9' is outside 40–90 %"),
        ({"Shape": ""}, "Row 7: Shape is missing"),
        ({"Stock #": None}, "Row 7: Stock # is missing"),
        ({"Certificate #": "2.14144E+09"}, "was turned into a number by a spreadsheet"),
        ({"Measurements": "6.45 x 6.48"}, "Row 7: Measurements '6.45 x 6.48' is not length x width x depth in mm"),
        ({"Color": "", "Fancy Color": "Yellow"}, "Row 7: Fancy Intensity is missing for the fancy colour Yellow"),
        ({"Color": "G", "Fancy Color": "Yellow", "Fancy Intensity": "Fancy"}, "Row 7: Color 'G' is given with"),
        ({"Origin": "Moon"}, "Row 7: Origin 'Moon' is not natural or lab-grown"),
    ],
)
def test_bad_values_are_refused_with_the_row_and_the_reason(changes, message):
    with pytest.raises(SupplierRowError) as caught:
        parse_supplier_row(row(**changes), line=7)
    assert message in str(caught.value)


def test_every_bad_value_of_a_row_is_reported_at_once():
    with pytest.raises(SupplierRowError) as caught:
        parse_supplier_row(row(Color="Q", Weight="0", **{"Depth %": "95"}), line=4)
    assert set(caught.value.errors) == {"Color", "Weight", "Depth %"}


def test_blank_optional_cells_are_left_out_so_an_update_keeps_the_stones_value():
    parsed = parse_supplier_row(row(Fluorescence="", Measurements="-", Origin="N/A"))
    assert not {"fluorescence", "origin", "length_mm", "width_mm", "depth_mm"} & parsed.keys()


# --- Reading files ---------------------------------------------------------------------------------------------
def test_reading_a_semicolon_separated_windows_file_with_blank_lines_keeps_the_file_line_numbers():
    text = "Stock #;Shape;Colour\r\nA1;RD;G\r\n;;\r\n\r\nA2;Oval;Crème\r\n;;\r\n"
    dataset = read_supplier_csv(text.encode("cp1252"))
    assert dataset.headers[:3] == ["Stock #", "Shape", "Colour"]
    assert [(r["Stock #"], r["Colour"], r["__line__"]) for r in dataset.dict] == [("A1", "G", 2), ("A2", "Crème", 5)]


def test_reading_a_row_longer_than_the_header_names_the_row():
    with pytest.raises(SupplierFileError, match="Row 3 has more cells"):
        read_supplier_csv(b"Stock #,Shape\nA1,RD\nA2,RD,extra\n")


# --- Importing -------------------------------------------------------------------------------------------------
def load(name_or_text: str) -> tablib.Dataset:
    path = DATA / name_or_text
    return read_supplier_csv(path.read_bytes() if path.suffix == ".csv" else name_or_text)


def run(dataset, *, dry_run=False):
    return DiamondResource().import_data(dataset, dry_run=dry_run, file_name="feed.csv")


@pytest.mark.django_db
def test_a_good_file_adds_every_stone_with_its_values():
    result = run(load("supplier_feed.csv"))

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.summary == {"new": 5, "updated": 0, "unchanged": 0, "left_sold": 0, "invalid": 0}
    assert result.ignored_columns == ["Location", "Rap %"]
    first = Diamond.objects.get(sku="JA-10001")
    assert (first.shape, first.carat, first.color, first.clarity, first.cut) == (
        Shape.ROUND,
        Decimal("1.01"),
        Color.G,
        Clarity.VS2,
        Cut.IDEAL,
    )
    assert (first.polish, first.symmetry, first.fluorescence) == (
        Finish.EXCELLENT,
        Finish.VERY_GOOD,
        Fluorescence.FAINT,
    )
    assert (first.lab, first.certificate_number, first.origin) == (Lab.GIA, "2141438167", Origin.NATURAL)
    assert (first.depth_pct, first.table_pct) == (Decimal("61.8"), Decimal("57.0"))
    assert (first.length_mm, first.width_mm, first.depth_mm) == (Decimal("6.48"), Decimal("6.45"), Decimal("3.99"))
    assert first.price == Decimal("6449.36")  # 6,385.50/ct x 1.01 ct
    assert first.status == "available" and first.sale_price is None
    lab_grown = Diamond.objects.get(sku="JA-10002")
    assert (lab_grown.origin, lab_grown.price, lab_grown.lab) == (Origin.LAB, Decimal("1793.60"), Lab.IGI)
    fancy = Diamond.objects.get(sku="JA-10004")
    assert (fancy.color, fancy.fancy_hue, fancy.fancy_intensity) == (
        None,
        FancyHue.YELLOW,
        FancyIntensity.FANCY_INTENSE,
    )
    assert Diamond.objects.get(sku="JA-10005").origin == Origin.LAB  # "CVD"
    record = first.history.get()
    assert (record.history_type, record.price, record.history_change_reason) == (
        "+",
        Decimal("6449.36"),
        "Supplier import (feed.csv)",
    )


@pytest.mark.django_db
def test_a_file_with_bad_rows_changes_nothing_and_reports_each_bad_row():
    existing = DiamondFactory(sku="JA-20003", price=Decimal("1500.00"), certificate_number="LG600112233", lab="IGI")

    for dry_run in (True, False):
        result = run(load("supplier_feed_bad.csv"), dry_run=dry_run)

        assert result.has_validation_errors()
        assert result.summary["invalid"] == 3
        problems = result.problems
        assert "Row 3: Color 'Q' is not a known colour grade" in problems
        assert "Row 5: Weight '0' must be more than 0 ct" in problems
        assert "Row 6: Stock # JA-20001 is also on row 2; list each stone once" in problems
        assert len(problems) == 3
        assert list(Diamond.objects.values_list("sku", flat=True)) == ["JA-20003"]
        existing.refresh_from_db()
        assert existing.price == Decimal("1500.00")  # the good update in the same file was not applied either
        assert existing.history.count() == 1


@pytest.mark.django_db
def test_a_file_without_a_required_column_is_refused_as_a_whole():
    result = run(load("Stock #,Shape,Weight,Colour,Price\nJA-1,RD,1.00,G,6000\n"))
    assert result.has_errors()
    assert result.problems == [
        "The file has no Clarity, no Cut, no Polish, no Symmetry, no Lab, no Certificate #, no Depth %, "
        "no Table % column."
    ]
    assert not Diamond.objects.exists()


@pytest.mark.django_db
def test_a_certificate_of_another_stone_is_refused():
    DiamondFactory(sku="OTHER-1", lab="GIA", certificate_number="2141438167")
    result = run(load("supplier_feed.csv"))
    assert result.problems == ["Row 2: GIA certificate 2141438167 already belongs to stone OTHER-1"]
    assert Diamond.objects.count() == 1


@pytest.mark.django_db
def test_a_dry_run_writes_nothing_but_says_what_would_change():
    DiamondFactory(sku="JA-10001", price=Decimal("7000.00"), certificate_number="2141438167")
    result = run(load("supplier_feed.csv"), dry_run=True)

    assert result.summary == {"new": 4, "updated": 1, "unchanged": 0, "left_sold": 0, "invalid": 0}
    assert Diamond.objects.count() == 1
    assert Diamond.objects.get().price == Decimal("7000.00")
    assert Diamond.history.count() == 1


@pytest.mark.django_db
def test_reimporting_updates_by_stock_number_and_records_the_price_change():
    run(load("supplier_feed.csv"))
    feed = (DATA / "supplier_feed.csv").read_text()
    # The supplier re-grades JA-10001's clarity and lowers its price per carat; everything else is as before.
    feed = feed.replace('VS2,EX,EX,VG,Faint,GIA,2141438167,61.8,57,6.45-6.48x3.99,"6,385.50"',
                        'VS1,EX,EX,VG,Faint,GIA,2141438167,61.8,57,6.45-6.48x3.99,"6,100.00"')  # fmt: skip

    result = run(load(feed))

    assert result.summary == {"new": 0, "updated": 1, "unchanged": 4, "left_sold": 0, "invalid": 0}
    assert Diamond.objects.count() == 5
    stone = Diamond.objects.get(sku="JA-10001")
    assert (stone.clarity, stone.price) == (Clarity.VS1, Decimal("6161.00"))
    assert [h.price for h in stone.history.order_by("history_date")] == [Decimal("6449.36"), Decimal("6161.00")]
    assert Diamond.objects.get(sku="JA-10002").history.count() == 1  # unchanged: no new history record
    assert [r.note for r in result.rows if r.import_type == "skip"] == [UNCHANGED] * 4


@pytest.mark.django_db
def test_a_sold_stone_is_never_relisted_and_the_import_says_so():
    sold = DiamondFactory(sku="JA-10001", status="sold", price=Decimal("7000.00"), certificate_number="2141438167")

    result = run(load("supplier_feed.csv"))

    sold.refresh_from_db()
    assert (sold.status, sold.price, sold.clarity) == ("sold", Decimal("7000.00"), Clarity.VS2)
    assert result.summary["left_sold"] == 1
    assert [r.note for r in result.rows if r.line == 2] == [LEFT_SOLD]
    assert sold.history.count() == 1


@pytest.mark.django_db
def test_a_reserved_stone_keeps_its_reservation_while_its_price_is_updated():
    until = timezone.now() + timedelta(minutes=20)
    reserved = DiamondFactory(
        sku="JA-10001",
        status="reserved",
        reserved_until=until,
        price=Decimal("7000.00"),
        certificate_number="2141438167",
    )
    run(load("supplier_feed.csv"))
    reserved.refresh_from_db()
    assert (reserved.status, reserved.reserved_until, reserved.price) == ("reserved", until, Decimal("6449.36"))


@pytest.mark.django_db
def test_a_new_price_below_the_sale_price_ends_the_sale():
    on_sale = DiamondFactory(
        sku="JA-10001", price=Decimal("8000.00"), sale_price=Decimal("7000.00"), certificate_number="2141438167"
    )
    run(load("supplier_feed.csv"))
    on_sale.refresh_from_db()
    assert (on_sale.price, on_sale.sale_price, on_sale.current_price) == (Decimal("6449.36"), None, Decimal("6449.36"))


@pytest.mark.django_db
def test_an_export_imports_back_unchanged_and_rebuilds_the_same_stones():
    DiamondFactory(sku="RT-1", fluorescence=Fluorescence.MEDIUM, girdle="Medium to Slightly Thick", cut=Cut.TRUE_HEARTS)
    DiamondFactory(
        sku="RT-2", shape="oval", origin="lab", lab="IGI", length_mm=Decimal("8.90"), width_mm=Decimal("6.30")
    )
    DiamondFactory(
        sku="RT-3", shape="radiant", color=None, fancy_hue="pink", fancy_intensity=FancyIntensity.FANCY_VIVID
    )
    DiamondFactory(sku="RT-4", length_mm=None, width_mm=None, depth_mm=None, price=Decimal("123456.78"))
    fields = ["sku", "shape", "carat", "color", "clarity", "cut", "polish", "symmetry", "fluorescence", "lab",
              "certificate_number", "origin", "fancy_hue", "fancy_intensity", "depth_pct", "table_pct", "length_mm",
              "width_mm", "depth_mm", "price", "girdle", "culet"]  # fmt: skip
    before = list(Diamond.objects.order_by("sku").values_list(*fields))

    exported = DiamondResource().export(Diamond.objects.all()).csv
    assert exported.splitlines()[0] == (
        "Stock #,Shape,Weight,Color,Clarity,Cut,Polish,Symmetry,Fluorescence,Lab,Certificate #,Depth %,Table %,"
        "Measurements,Price,Origin,Fancy Color,Fancy Intensity,Girdle,Culet"
    )
    again = run(load(exported))
    assert again.summary == {"new": 0, "updated": 0, "unchanged": 4, "left_sold": 0, "invalid": 0}

    Diamond.objects.all().delete()
    rebuilt = run(load(exported))
    assert rebuilt.summary["new"] == 4
    assert list(Diamond.objects.order_by("sku").values_list(*fields)) == before


@pytest.mark.django_db
def test_gemstones_export_with_their_status():
    GemstoneFactory(sku="G-1", status="sold", sale_price=Decimal("2000.00"))
    exported = GemstoneResource().export().csv.splitlines()
    assert exported[0] == (
        "Stock #,Kind,Shape,Weight,Colour,Treatment,Origin,Lab,Certificate #,Measurements,Price,Sale Price,Status"
    )
    assert exported[1] == (
        "G-1,Blue sapphire,Oval,1.50,Royal blue,Heated,Sri Lanka,,,8.10 x 6.05 x 3.90,2400.00,2000.00,Sold"
    )


@pytest.mark.django_db
def test_one_certificate_on_two_stock_numbers_or_one_field_in_two_columns_is_refused():
    feed = (DATA / "supplier_feed.csv").read_text().replace("LG551234567", "2141438167").replace("IGI", "GIA")
    assert run(load(feed)).problems == ["Row 3: GIA certificate 2141438167 is also on row 2 (JA-10001)"]

    both = (DATA / "supplier_feed.csv").read_text().replace("Location", "SKU")
    assert run(load(both)).problems == ["Columns 'Stock No' and 'SKU' both give Stock #; keep one."]
    assert not Diamond.objects.exists()
