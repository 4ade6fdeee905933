"""The shared cache: Redis (Django's RedisCache) against PostgreSQL
(Django's DatabaseCache), the two shared backends Django has built in.

    scripts/production.sh up
    .venv/bin/python -m bench.cache [--operations 2000]

Uses the topology's Redis (database 15, not the site's) and PostgreSQL
database (var/production/env); the database cache gets a table of its own
(`klynge_bench_cache`), dropped at the end. Both with Django's defaults.

What the site asks of its cache, per operation, one client at a time: the
rate limit's `add` + `incr` (every search, export and feed request), a
`get` that hits (the footer's URL, the cluster names), and `set` + `get` of
a 300 kB value (a rendered PDF). Then the rate limit from two processes at
once: each adds 1 to the same counter N times; a cache whose `incr` is not
atomic loses counts, and each lost count is a request over the limit.
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ENV_FILE = REPO_ROOT / "var" / "production" / "env"
TABLE = "klynge_bench_cache"


def load_environment():
    if not ENV_FILE.exists():
        sys.exit("The production topology is not set up: scripts/production.sh up")
    for line in ENV_FILE.read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and name != "HOME":
            os.environ[name] = value


def setup():
    load_environment()
    import django

    django.setup()


def backends():
    # Redis: a database number of its own (clear() empties it), not the one
    # the topology's processes use.
    redis_url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/15"
    return {
        "Redis (RedisCache)": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
        },
        "PostgreSQL (DatabaseCache)": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": TABLE,
        },
    }


def cache_for(name):
    """A cache of that backend, apart from the site's own."""
    from django.utils.module_loading import import_string

    params = dict(backends()[name])
    backend = import_string(params.pop("BACKEND"))
    return backend(params.pop("LOCATION"), params)


def timed(operation, count):
    timings = []
    for n in range(count):
        started = time.perf_counter()
        operation(n)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[max(0, round(0.95 * count) - 1)]


def rate_limit_hit(cache, key):
    cache.add(key, 0, timeout=120)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=120)


def count_in_process(name, key, count, start):
    setup()
    cache = cache_for(name)
    start.wait()
    for _ in range(count):
        rate_limit_hit(cache, key)


def concurrent_count(name, count):
    cache = cache_for(name)
    key = f"concurrent-{time.time_ns()}"
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    workers = [
        context.Process(target=count_in_process, args=(name, key, count, start))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    time.sleep(8)  # each child sets Django up
    start.set()
    for worker in workers:
        worker.join()
    return cache.get(key)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--operations", type=int, default=2000)
    parser.add_argument("--concurrent", type=int, default=2000)
    args = parser.parse_args()
    setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("createcachetable", TABLE, verbosity=0)
    big = os.urandom(300 * 1024)
    try:
        print(
            f"| cache | rate limit (add + incr) p50 / p95 ms | get p50 / p95 ms "
            f"| 300 kB set + get p50 / p95 ms | {2 * args.concurrent} increments "
            "from 2 processes |"
        )
        print("|---|---|---|---|---|")
        for name in backends():
            cache = cache_for(name)
            cache.clear()
            limit = timed(lambda n, c=cache: rate_limit_hit(c, "rate"), args.operations)
            cache.set("hit", "value", timeout=300)
            get = timed(lambda n, c=cache: c.get("hit"), args.operations)

            def pdf(n, c=cache):
                c.set(f"pdf-{n % 20}", big, timeout=300)
                c.get(f"pdf-{n % 20}")

            blob = timed(pdf, max(args.operations // 10, 50))
            counted = concurrent_count(name, args.concurrent)
            print(
                f"| {name} | {limit[0]:.2f} / {limit[1]:.2f} | {get[0]:.2f} / "
                f"{get[1]:.2f} | {blob[0]:.2f} / {blob[1]:.2f} | {counted} |"
            )
            cache.clear()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP TABLE IF EXISTS "{TABLE}"')  # noqa: S608


if __name__ == "__main__":
    main()
