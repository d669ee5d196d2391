"""CSV exports of people's text: a cell that a spreadsheet would run as a formula is quoted."""

# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value
