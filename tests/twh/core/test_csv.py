"""The one safe CSV writer: the same cells in every CSV the site gives out."""

import csv
import io
from datetime import date

import pytest

from twh.core.csv import SafeWriter, safe_cell


def written(row) -> list[str]:
    out = io.StringIO()
    SafeWriter(out).writerow(row)
    return next(csv.reader(io.StringIO(out.getvalue())))


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"), ("a=b", "a=b"), ("", ""),
    (None, ""), (True, "true"), (False, "false"), (12, "12"), (-87.6, "-87.6"),
    (date(2027, 1, 20), "2027-01-20"),
])
def test_every_cell_is_written_safely(value, cell):
    assert written([value]) == [cell]


def test_numbers_stay_numbers_for_the_csv_module():
    assert safe_cell(-87.6) == -87.6 and safe_cell(5) == 5


def test_writerows_writes_each_row_safely():
    out = io.StringIO()
    SafeWriter(out).writerows([["=a", 1], ["b", "-c"]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'=a", "1"], ["b", "'-c"]]


def test_the_three_exports_use_the_one_writer():
    from healingmap import documents
    from summit import exports
    from twh import dashboard

    for module in (documents, exports, dashboard):
        assert module.SafeWriter is SafeWriter
        assert not hasattr(module, "csv")  # no second csv.writer beside it
