"""The public search across all clusters, served by Elasticsearch (reusable app).

Separate from Wagtail's own search (the admin's, on the database backend):
the public index is built with elasticsearch-dsl from analysis that every
Elasticsearch node has, so it can carry Danish analysis without the
`analysis-common` module that Wagtail's Elasticsearch backend needs.
"""
