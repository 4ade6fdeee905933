"""The reference site (import name `klyngeportal_site`) that runs the
`klynge_pages` and `search` apps: settings, URLs, WSGI/ASGI and the site's own
pages (the home page)."""
