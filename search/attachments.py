"""The text of attachments for the index, extracted once per file content."""

from django.core.cache import cache

from klynge_pages.extraction import extract_text

CACHE_PREFIX = "klynge-search-attachment-text"


def attachment_text(document):
    """The extracted text of a Wagtail document ("" when there is none or
    extraction failed; the failure is logged by the extractor)."""
    key = f"{CACHE_PREFIX}:{document.file_hash or document.pk}"
    text = cache.get(key)
    if text is None:
        try:
            result = extract_text(document.file, filename=document.filename)
        except FileNotFoundError:
            return ""
        text = result.text
        cache.set(key, text, timeout=None)
    return text
