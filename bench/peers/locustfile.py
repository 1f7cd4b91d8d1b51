"""The benchmark's Locust user: GET /ok as fast as possible, or idle users for memory figures."""
import os

from locust import FastHttpUser, constant, task

THINK_SECONDS = float(os.environ.get("BENCH_THINK_SECONDS", "0"))


class OkUser(FastHttpUser):
    wait_time = constant(THINK_SECONDS)

    @task
    def ok(self):
        self.client.get("/ok")
