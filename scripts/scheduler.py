"""A small cron for the local production topology (scripts/production.sh):
runs the jobs of a crontab file (deploy/crontab) at their times, so that
the schedule tested is the one operators install with `crontab`.

    python3 scripts/scheduler.py deploy/crontab [--set NAME=VALUE ...]

Understands what deploy/crontab uses: `NAME=value` lines (--set overrides
them), and five time fields of numbers, `*`, ranges `a-b`, steps `*/n` and
lists `a,b`, in local time. Each job runs with `sh -c` at the start of a
matching minute; a job still running from the minute before is not started
again. SIGTERM or SIGINT stops the scheduler after the running jobs end.
Standard library only.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from datetime import datetime

FIELDS = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]


class CrontabError(ValueError):
    pass


def parse_field(text, low, high):
    """The set of values a crontab time field matches."""
    values = set()
    for part in text.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            if not step_text.isdigit() or int(step_text) == 0:
                raise CrontabError(f"bad step in {text!r}")
            step = int(step_text)
        if part == "*":
            start, end = low, high
        elif "-" in part:
            start_text, end_text = part.split("-", 1)
            if not (start_text.isdigit() and end_text.isdigit()):
                raise CrontabError(f"bad range in {text!r}")
            start, end = int(start_text), int(end_text)
        elif part.isdigit():
            start = end = int(part)
        else:
            raise CrontabError(f"bad field {text!r}")
        if not (low <= start <= end <= high):
            raise CrontabError(f"{text!r} is outside {low}-{high}")
        values.update(range(start, end + 1, step))
    return values


class Job:
    def __init__(self, line):
        parts = line.split(None, 5)
        if len(parts) < 6:
            raise CrontabError(f"a job needs five time fields and a command: {line!r}")
        self.fields = [
            parse_field(text, low, high)
            for text, (low, high) in zip(parts[:5], FIELDS, strict=True)
        ]
        if 7 in self.fields[4]:  # 0 and 7 are both Sunday
            self.fields[4].add(0)
        self.command = parts[5]
        self.process = None

    def matches(self, moment):
        minute, hour, day, month, weekday = self.fields
        return (
            moment.minute in minute
            and moment.hour in hour
            and moment.day in day
            and moment.month in month
            and moment.isoweekday() % 7 in weekday
        )

    def running(self):
        return self.process is not None and self.process.poll() is None


def read_crontab(path):
    variables, jobs = {}, []
    with open(path, encoding="utf-8") as crontab:
        for raw in crontab:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            name, sep, value = line.partition("=")
            if sep and name.isidentifier() and " " not in name:
                variables[name] = value.strip().strip('"')
            else:
                jobs.append(Job(line))
    return variables, jobs


def log(message):
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    sys.stdout.write(f"[{stamp}] scheduler: {message}\n")
    sys.stdout.flush()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("crontab")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)

    variables, jobs = read_crontab(args.crontab)
    for assignment in args.set:
        name, _, value = assignment.partition("=")
        variables[name] = value
    environment = {**os.environ, **variables}

    stopping = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.append(True))

    log(f"{len(jobs)} jobs from {args.crontab}")
    last_minute = None
    while not stopping:
        now = datetime.now().replace(second=0, microsecond=0)
        if now != last_minute:
            last_minute = now
            for job in jobs:
                if not job.matches(now):
                    continue
                if job.running():
                    log(f"still running, not started again: {job.command}")
                    continue
                job.process = subprocess.Popen(  # noqa: S603 - the operator's crontab
                    ["/bin/sh", "-c", job.command], env=environment
                )
        for job in jobs:
            if job.process is not None and job.process.poll() is not None:
                if job.process.returncode:
                    log(f"exit code {job.process.returncode}: {job.command}")
                job.process = None
        time.sleep(1)
    log("stopping; waiting for running jobs")
    for job in jobs:
        if job.process is not None:
            job.process.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
