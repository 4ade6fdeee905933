"""The fault tests run against the production topology that
`scripts/production.sh up` started, with its environment and database:

    scripts/production.sh test

They are collected only then (KLYNGE_TOPOLOGY names the topology's
description; tests/conftest.py leaves this folder out otherwise). Each test
builds content of its own, under a cluster with a random name, and removes
the cluster, its groups and users at the end.
"""

import json
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page

from tests.factories import OrganisationFactory, make_cluster, make_meeting

from .webclient import Client

REPO_ROOT = Path(__file__).resolve().parents[2]
# What the tests measured, printed at the end of the run.
FIGURES = []


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("what the fault tests measured")
        for line in FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture
def figures(request):
    """figures(text): a line for the run's summary, under the test's name."""

    def add(text):
        FIGURES.append(f"{request.node.name}: {text}")

    return add


@pytest.fixture(scope="session")
def topology():
    with open(os.environ["KLYNGE_TOPOLOGY"], encoding="utf-8") as description:
        return json.load(description)


@pytest.fixture(scope="session", autouse=True)
def production_database(django_db_blocker):
    """The topology's own database, not a test database: the app servers,
    the worker and the scheduler must see what the tests write."""
    with django_db_blocker.unblock():
        yield


def production_sh(*args, timeout=300):
    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [str(REPO_ROOT / "scripts" / "production.sh"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise AssertionError(f"production.sh {' '.join(args)}:\n{result.stderr}")
    return result


def pid_of(topology, name):
    if name.startswith("es-"):
        path = Path(topology["run_dir"]).parent / name / "es.pid"
    else:
        path = Path(topology["run_dir"]) / f"{name}.pid"
    return int(path.read_text().strip())


def kill_hard(topology, name):
    """SIGKILL a process of the topology (an app server with its workers:
    gunicorn's process group)."""
    pid = pid_of(topology, name)
    if name.startswith("app-"):
        os.killpg(pid, signal.SIGKILL)
    else:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    raise AssertionError(f"{name} (pid {pid}) did not die")


def wait_until(condition, seconds, interval=0.2, message="condition"):
    deadline = time.monotonic() + seconds
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} not met within {seconds} s")
        time.sleep(interval)


@pytest.fixture
def token():
    """A word no other content contains, for finding this test's changes."""
    return "kontrol" + uuid.uuid4().hex[:10]


@pytest.fixture
def cluster(token):
    cluster = make_cluster(
        title=f"Klynge {token}", members=[OrganisationFactory(name=f"Kommune {token}")]
    )
    yield cluster
    # The groups the cluster got when it was created go with it.
    Page.objects.get(pk=cluster.pk).delete()
    Group.objects.filter(name__startswith=f"Klynge {token}").delete()


@pytest.fixture
def meetings(cluster):
    """Three published meetings of the cluster."""
    return [make_meeting(cluster, items=2) for _ in range(3)]


@pytest.fixture
def editor(token):
    """A superuser, for the admin's forms (the tests are about the topology,
    not about permissions)."""
    password = uuid.uuid4().hex + "-Aa1"
    user = get_user_model().objects.create_superuser(
        username=f"drift-{token}", email="", password=password
    )
    yield user.username, password
    user.delete()


@pytest.fixture
def proxy(topology):
    return Client(topology["proxy"])


@pytest.fixture
def editor_client(topology, editor):
    client = Client(topology["proxy"], source="127.0.0.9")
    client.log_in(*editor)
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    """The suite's cache clearing (tests/conftest.py) is not for the
    topology's shared cache: the app servers are using it."""
