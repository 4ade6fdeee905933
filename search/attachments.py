"""The text of attachments for the index, extracted once per file content."""

from django.core.cache import cache

CACHE_PREFIX = "klynge-search-attachment-text"


def attachment_text(document):
    """The extracted text of a Wagtail document ("" when there is none or
    extraction failed; the failure is logged by the extractor)."""
    # The extractor starts its fork server when first used: only processes
    # that read attachments (the index's writers) load it.
    from .extraction import extract_text  # noqa: PLC0415

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
