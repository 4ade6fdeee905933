"""Security hardening of the site: upload validation, who may download which
document, the admin's access checks beyond Wagtail's own, the
Content-Security-Policy per area, and the Danish lockout page of the login
rate limit. No models: everything here is checks. See docs/security.md."""
