# SPDX-License-Identifier: EUPL-1.2
"""Locust users of the search benchmark (bench_search.py starts locust with this file).

Every user sends ``GET /api/v1/repair/places/?<query>`` with queries drawn at random
from the file named by ``BENCH_SEARCH_QUERIES`` (one query string a line, written by
search_data.py). A response other than 200 with a JSON body of results counts as a
failure.

- ``Saturating``: no wait between requests (closed loop): the throughput the server
  reaches with this many concurrent clients, and the latencies at that throughput.
- ``Paced``: at most ``BENCH_SEARCH_RATE`` requests per second per user (locust's
  ``constant_throughput``): 20 users at 10/s offer 200 requests/s, and the latencies
  are those at that load.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from locust import FastHttpUser, constant_throughput, task

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
    wait_time = constant_throughput(float(os.environ.get("BENCH_SEARCH_RATE", "10")))
