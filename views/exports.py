"""Tables as downloads: CSV (`;`-separated UTF-8 with a BOM, what Excel in Indonesia
opens) and XLSX (openpyxl's write-only workbook), both streamed."""

import csv
import io
import tempfile
from datetime import date

from flask import Response, stream_with_context
from openpyxl import Workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CHUNK = 500


def safe_cell(value):
    """Text a spreadsheet would take for a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def attachment(chunks, content_type, filename):
    response = Response(stream_with_context(chunks), content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _drain(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def csv_response(lines, filename):
    """`lines`: lists of cells, the header first."""

    def generate():
        yield "\ufeff"
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        for count, cells in enumerate(lines):
            writer.writerow([v.isoformat() if isinstance(v, date) else v for v in cells])
            if count % CSV_CHUNK == 0:
                yield _drain(buffer)
        yield _drain(buffer)

    return attachment(generate(), "text/csv; charset=utf-8", filename)


def xlsx_response(sheets, filename):
    """`sheets`: (title, lines) pairs. A write-only workbook (openpyxl keeps its rows on
    disk, not in memory), saved to a temporary file that is then streamed."""

    def generate():
        workbook = Workbook(write_only=True)
        for title, lines in sheets:
            sheet = workbook.create_sheet(title)
            for cells in lines:
                sheet.append(cells)
        with tempfile.TemporaryFile() as handle:
            workbook.save(handle)
            handle.seek(0)
            while chunk := handle.read(64 * 1024):
                yield chunk

    return attachment(generate(), XLSX_TYPE, filename)
