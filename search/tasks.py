"""Background work of the search index (django-tasks).

Settings choose the backend, by the alias KLYNGE_TASK_BACKEND names (the
"default" backend without it): the immediate one runs the replay right after
the transaction commits (tests, development); production queues it in the
database for `manage.py db_worker` (django-tasks-db).
"""

from django.conf import settings
from django_tasks import task

from . import indexer


@task(backend=getattr(settings, "KLYNGE_TASK_BACKEND", "default"))
def replay_pending():
    applied, left = indexer.replay_all()
    return {"applied": applied, "left": left}
