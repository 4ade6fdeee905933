"""Spreadsheet exports from the admin: safe to open, and right in Danish Excel.

Every CSV the admin writes (the deadline report and the reminder log, and
Wagtail's own: reports, snippet and model listings, form submissions,
redirects) streams through `SpreadsheetExportMixin.stream_csv`. A text cell
that starts with "=", "+", "-" or "@" (or a tab, a carriage return, or their
full-width forms) is a formula to a spreadsheet program: a meeting titled
`=HYPERLINK(…)` would become a link in the secretariat's Excel. Such cells
are written with a leading apostrophe, which spreadsheet programs read as
"text". Wagtail offers no hook for this, so `install_formula_escaping()`
(called from the app's `ready()`) replaces that one method; the XLSX writer
already stores formula-like text as text.

`DanishSpreadsheetExportMixin` makes a view's CSV what Danish Excel opens
without the import wizard: semicolons (the list separator of a Danish
Windows), a UTF-8 byte order mark (or Excel reads the file as Windows-1252
and garbles æ, ø and å), and dates as Danish Excel writes them (13-11-2019,
13-11-2019 10:00), which it reads as dates.
"""

import csv
import datetime

from django.utils import timezone
from wagtail.admin.views.mixins import Echo, SpreadsheetExportMixin

# Characters a spreadsheet program reads as the start of a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

BYTE_ORDER_MARK = "\ufeff"

DANISH_DATE = "%d-%m-%Y"
DANISH_DATETIME = "%d-%m-%Y %H:%M"
# The same for XLSX cells (Excel's number formats).
EXCEL_DATE = "dd-mm-yyyy"
EXCEL_DATETIME = "dd-mm-yyyy hh:mm"


def escape_cell(value):
    """A text cell a spreadsheet program will not run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class FormulaSafeDictWriter(csv.DictWriter):
    """csv.DictWriter whose every cell, headings included, goes through
    `escape_cell`."""

    def writerow(self, rowdict):
        return super().writerow(
            {key: escape_cell(value) for key, value in rowdict.items()}
        )

    def writerows(self, rowdicts):
        return [self.writerow(rowdict) for rowdict in rowdicts]


class DanishExcel(csv.excel):
    delimiter = ";"


def stream_csv(view, queryset, dialect="excel", byte_order_mark=False):
    """The rows of a SpreadsheetExportMixin view as CSV, line by line, every
    cell escaped."""
    writer = FormulaSafeDictWriter(Echo(), fieldnames=view.list_export, dialect=dialect)
    if byte_order_mark:
        yield BYTE_ORDER_MARK.encode("utf-8")
    yield writer.writerow(
        {field: view.get_heading(queryset, field) for field in view.list_export}
    )
    for item in queryset:
        yield view.write_csv_row(writer, view.to_row_dict(item))


def _wagtail_stream_csv(self, queryset):
    return stream_csv(self, queryset)


def install_formula_escaping():
    """Escape formulas in every CSV export of Wagtail's admin (idempotent)."""
    SpreadsheetExportMixin.stream_csv = _wagtail_stream_csv


def formula_escaping_installed():
    return SpreadsheetExportMixin.stream_csv is _wagtail_stream_csv


class DanishSpreadsheetExportMixin:
    """For a view with Wagtail's SpreadsheetExportMixin: CSV for Danish Excel,
    XLSX with Danish date formats. Booleans are written "Ja"/"Nej" by the
    rows themselves (the values are the report's words)."""

    def stream_csv(self, queryset):
        return stream_csv(self, queryset, dialect=DanishExcel, byte_order_mark=True)

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    def preprocess_field_value(self, field, value, export_format):
        if export_format == self.FORMAT_CSV:
            if isinstance(value, datetime.datetime):
                if timezone.is_aware(value):
                    value = timezone.localtime(value)
                return value.strftime(DANISH_DATETIME)
            if isinstance(value, datetime.date):
                return value.strftime(DANISH_DATE)
        if export_format == self.FORMAT_XLSX and isinstance(value, datetime.datetime):
            # Excel has no time zones: the Danish wall-clock time.
            if timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            return value
        return super().preprocess_field_value(field, value, export_format)

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for cell, value in zip(
            super().generate_xlsx_row(worksheet, row_dict, date_format),
            row_dict.values(),
            strict=True,
        ):
            if isinstance(value, datetime.datetime):
                cell.number_format = EXCEL_DATETIME
            elif isinstance(value, datetime.date):
                cell.number_format = EXCEL_DATE
            yield cell
