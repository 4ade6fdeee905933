"""Background work of the search index (django-tasks).

Settings choose the backend, by the alias KLYNGE_TASK_BACKEND names (the
"default" backend without it): the immediate one runs the replay right after
the transaction commits (tests, development); production queues it in the
database for `manage.py db_worker` (django-tasks-db).
"""

from django_tasks import task

from klynge_pages.conf import klynge_settings

from . import indexer


@task(backend=klynge_settings.TASK_BACKEND)
def replay_pending():
    applied, left = indexer.replay_all()
    return {"applied": applied, "left": left}
