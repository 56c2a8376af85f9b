# SPDX-License-Identifier: EUPL-1.2
"""Locust users of the search benchmark (bench_search.py starts locust with this file).

Every user sends ``GET /api/v1/repair/places/?<query>`` with queries drawn at random
from the file named by ``BENCH_SEARCH_QUERIES`` (one query string a line, written by
search_data.py). A response other than 200 with a JSON body of results counts as a
failure.

- ``Saturating``: no wait between requests (closed loop): the throughput the server
  reaches with this many concurrent clients, and the latencies at that throughput.
- ``Paced``: each user sends ``BENCH_SEARCH_RATE`` requests per second on average
  at random moments (exponential gaps from a schedule of its own; a user that falls
  behind it catches up without waiting): 20 users at 10/s are a Poisson stream of
  200 requests/s, the latencies are those at that load. (locust's
  ``constant_throughput`` would make the users fire in step, in bursts.)
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import gevent
from locust import FastHttpUser, task

QUERIES = [
    q
    for q in Path(os.environ["BENCH_SEARCH_QUERIES"])
    .read_text(encoding="utf-8")
    .splitlines()
    if q
]
PATH = "/api/v1/repair/places/?"


class _Search(FastHttpUser):
    abstract = True

    def on_start(self) -> None:
        self.rng = random.Random()

    @task
    def search(self) -> None:
        query = self.rng.choice(QUERIES)
        with self.client.get(
            PATH + query, name="places search", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif b'"results":' not in (response.content or b""):
                response.failure("no results member")


class Saturating(_Search):
    pass


class Paced(_Search):
    rate = float(os.environ.get("BENCH_SEARCH_RATE", "10"))

    def on_start(self) -> None:
        super().on_start()
        self.next_at = time.monotonic() + self.rng.expovariate(self.rate)
        gevent.sleep(max(0.0, self.next_at - time.monotonic()))

    def wait_time(self) -> float:
        self.next_at += self.rng.expovariate(self.rate)
        return max(0.0, self.next_at - time.monotonic())
