"""Gunicorn settings of an app server (docs/operations.md):

    gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:8101

Environment: DJANGO_SETTINGS_MODULE defaults to the production settings
(klyngeportal_site/wsgi.py), which read everything else from the
environment; GUNICORN_WORKERS and GUNICORN_THREADS size the server.
"""

import os

wsgi_app = "klyngeportal_site.wsgi:application"

# Processes, each with a few threads: a thread waiting for the database or
# Elasticsearch leaves the CPU to another. nginx in front buffers slow
# clients, so no worker waits on a client's connection.
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Keep-alive connections from nginx (its upstream `keepalive`).
keepalive = 30

# A request that takes longer is a fault: the worker is replaced. The PDF
# exports are the slowest requests (about half a second).
timeout = 30
# On SIGTERM (a restart), requests in flight get this long to finish.
graceful_timeout = 20
# Workers are replaced now and then, so that memory cannot creep.
max_requests = 2000
max_requests_jitter = 200

# Only nginx on this machine may say which scheme the client used.
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"
errorlog = "-"
