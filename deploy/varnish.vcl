vcl 4.1;
# Varnish between nginx and Klyngeportal's app servers: the cache of public
# pages, feeds and calendars, purged by the app when content changes, and
# the app servers' load balancer (docs/operations.md). scripts/production.sh
# fills in the placeholders (capitals between at signs); on a server of your
# own, copy it and fill them in.

import directors;

@BACKENDS@

# Who may purge: the app servers (site/frontend_cache.py).
acl purgers {
@PURGERS@
}

sub vcl_init {
    new app = directors.round_robin();
@DIRECTOR_BACKENDS@
}

sub vcl_recv {
    set req.backend_hint = app.backend();
    # `Cache-Control: only-if-cached` asks whether an address is in the
    # cache: its copy, or 504 without asking the app (used by the fault
    # tests to show what was never stored).
    if (req.http.Cache-Control ~ "only-if-cached") {
        set req.http.X-Only-If-Cached = "1";
    } else {
        unset req.http.X-Only-If-Cached;
    }

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        return (purge);
    }

    # Only what the app can mark public is looked up in the cache; the rest
    # goes straight through. Anything with a session (a logged-in editor, a
    # visitor who unlocked a private page) never shares a cache entry.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|dokumenter|sundhed)/") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # A page is purged by the address the app knows it by: no query string,
    # no empty or dot segments, percent-escapes in capitals. Any other
    # spelling of the same page would be a copy that no purge reaches, so it
    # is not cached at all.
    if (req.url !~ "^(/([A-Za-z0-9_~-]|[.][A-Za-z0-9_~-]|%[0-9A-F][0-9A-F])+)*/?$") {
        return (pass);
    }
    # Other cookies (the CSRF token) do not change what an anonymous visitor
    # sees; they still reach the app. Skips the built-in rule that passes
    # every request with a cookie.
    return (hash);
}

sub vcl_miss {
    if (req.http.X-Only-If-Cached) {
        return (synth(504, "Not cached"));
    }
}

sub vcl_pass {
    if (req.http.X-Only-If-Cached) {
        return (synth(504, "Not cached"));
    }
}

sub vcl_hash {
    # One site: the path is the key (the purge's Host may differ).
    hash_data(req.url);
    return (lookup);
}

sub vcl_backend_response {
    # Stored only when the app says so: `Cache-Control: public` with a
    # lifetime (s-maxage for pages, max-age for feeds), a 200, no cookie.
    if (beresp.status != 200
        || beresp.http.Set-Cookie
        || beresp.http.Cache-Control !~ "(^|[ ,])public([ ,]|$)"
        || beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 5s;
        return (deliver);
    }
    # Anonymous responses do not depend on the cookies or the language
    # (the site is Danish only); Vary would store a copy per visitor.
    unset beresp.http.Vary;
    # With every app server down, an expired page is still served for an
    # hour (purged pages are gone, never served stale).
    set beresp.grace = 1h;
    return (deliver);
}

sub vcl_backend_error {
    # An app server that refused or dropped a read: once more, on the next
    # (the round robin moves on; its probe takes it out within seconds).
    if (bereq.retries < 1 && (bereq.method == "GET" || bereq.method == "HEAD")) {
        return (retry);
    }
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Cache-Status = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache-Status = "HIT";
    } else {
        set resp.http.X-Cache-Status = "MISS";
    }
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}
