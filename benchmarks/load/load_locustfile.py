# SPDX-License-Identifier: EUPL-1.2
"""Locust users of the load test of the whole site (bench_load.py starts locust with
this file). ``BENCH_LOAD_PLAN`` names a JSON file written by the runner: the public
pages to visit (``[group, path]`` pairs, each checked to answer 200 before the run),
the repair searches (query strings), the exchange's material codes and open match
runs, and the coordinator's user name and password.

The name of every request is its endpoint group, so locust's statistics are per
group. A response other than the expected status (200; 201 for a match run started)
is a failure, and so is an API answer without its JSON members.

- ``Visitor`` (weight 6): a public page, then a pause (``BENCH_LOAD_THINK`` seconds
  on average, exponential).
- ``ApiClient`` (weight 3): a repair search (``/api/v1/repair/places/?near=...``)
  or an exchange read: open listings near a point, the list of match runs, a run
  with its flows, a run's savings per municipality; then the same pause.
- ``Coordinator`` (one user, ``fixed_count``): signs in through the admin login
  page, then starts a match run (``POST /api/v1/exchange/match-runs/``, which
  solves the exchange of all open listings and answers with the result) every
  ``BENCH_LOAD_RUN_EVERY`` seconds, and reads a run between.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

from locust import FastHttpUser, HttpUser, task

PLAN = json.loads(Path(os.environ["BENCH_LOAD_PLAN"]).read_text(encoding="utf-8"))
THINK = float(os.environ.get("BENCH_LOAD_THINK", "0.5"))
RUN_EVERY = float(os.environ.get("BENCH_LOAD_RUN_EVERY", "20"))
PAGES: list[list[str]] = PLAN["pages"]
SEARCHES: list[str] = PLAN["searches"]
MATERIALS: list[str] = PLAN["materials"]
RUNS: list[int] = PLAN["match_runs"]
JSON_HEADERS = {"Accept": "application/json"}


def _check(response: Any, status: int = 200, member: bytes | None = None) -> None:
    if response.status_code != status:
        response.failure(f"status {response.status_code}")
    elif member is not None and member not in (response.content or b""):
        response.failure(f"no {member.decode()} member")


class _Paced:
    """Exponential pauses: many users together send a Poisson stream, not bursts."""

    rng: random.Random

    def wait_time(self) -> float:
        return self.rng.expovariate(1.0 / THINK) if THINK > 0 else 0.0


class Visitor(_Paced, FastHttpUser):
    weight = 6

    def on_start(self) -> None:
        self.rng = random.Random()

    @task
    def page(self) -> None:
        group, path = self.rng.choice(PAGES)
        with self.client.get(path, name=group, catch_response=True) as response:
            _check(response)


class ApiClient(_Paced, FastHttpUser):
    weight = 3

    def on_start(self) -> None:
        self.rng = random.Random()

    def _get(self, path: str, name: str, member: bytes) -> None:
        with self.client.get(
            path, name=name, headers=JSON_HEADERS, catch_response=True
        ) as response:
            _check(response, member=member)

    @task(6)
    def repair_search(self) -> None:
        query = self.rng.choice(SEARCHES)
        self._get(
            f"/api/v1/repair/places/?{query}", "api: repair search", b'"results":'
        )

    @task(2)
    def listings_near(self) -> None:
        lat = 52.09 + self.rng.uniform(-0.12, 0.12)
        lon = 5.12 + self.rng.uniform(-0.25, 0.25)
        query = f"near={lat:.4f},{lon:.4f}&radius_km={self.rng.choice([5, 10, 25])}"
        if MATERIALS and self.rng.random() < 0.5:
            query += f"&material={self.rng.choice(MATERIALS)}"
        self._get(
            f"/api/v1/exchange/listings/?{query}",
            "api: exchange listings",
            b'"results":',
        )

    @task(1)
    def match_runs(self) -> None:
        self._get("/api/v1/exchange/match-runs/", "api: match runs", b'"results":')

    @task(1)
    def match_run(self) -> None:
        if RUNS:
            run = self.rng.choice(RUNS)
            self._get(f"/api/v1/exchange/match-runs/{run}/", "api: match run", b'"id":')

    @task(1)
    def savings(self) -> None:
        if RUNS:
            run = self.rng.choice(RUNS)
            self._get(
                f"/api/v1/exchange/match-runs/{run}/savings/",
                "api: match run savings",
                b'"totals":',
            )


class Coordinator(HttpUser):
    fixed_count = 1
    weight = 0

    def wait_time(self) -> float:
        return RUN_EVERY

    def on_start(self) -> None:
        self.client.get("/admin/login/", name="login")
        response = self.client.post(
            "/admin/login/?next=/admin/",
            data={
                "username": PLAN["coordinator"]["username"],
                "password": PLAN["coordinator"]["password"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
                "next": "/admin/",
            },
            name="login",
        )
        if "sessionid" not in self.client.cookies:
            raise RuntimeError(
                f"the coordinator could not sign in ({response.status_code})"
            )

    @task
    def start_match_run(self) -> None:
        with self.client.post(
            "/api/v1/exchange/match-runs/",
            json={},
            headers={**JSON_HEADERS, "X-CSRFToken": self.client.cookies["csrftoken"]},
            name="api: match run start",
            catch_response=True,
        ) as response:
            _check(response, status=201, member=b'"id":')
