"""Importing existing minutes (referater) from Markdown, plain text, DOCX and
PDF into draft meeting and minutes pages.

- `text`: Danish words and the paragraph/rich-text helpers, shared with the
  demo loader;
- `parser`: pure functions from text to `ParsedMinutes`, no database;
- `reading`: a file's bytes to text, with the limits and Danish errors;
- `importer`: `ParsedMinutes` to draft pages, one transaction per document,
  and the report of what was recognised and what was not;
- `scoring`: a parse result compared with a document's expected fields
  (`manage.py import_minutes --check`).
"""
