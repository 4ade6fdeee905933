"""Background work of the search index (django-tasks).

Settings choose the backend: the immediate one runs the replay right after
the transaction commits (tests, development); production queues it in the
database for `manage.py db_worker` (django-tasks-db).
"""

from django_tasks import task

from . import indexer


@task()
def replay_pending():
    applied, left = indexer.replay_all()
    return {"applied": applied, "left": left}
