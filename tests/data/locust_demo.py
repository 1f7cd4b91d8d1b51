# The Locust run behind locust_2.12_stats.csv: Debian's Locust 2.12 against the demo target,
#   stampede-demo-target --port 18095 --latency ok=5ms &
#   python3 bench/peers/locust_launcher.py -f tests/data/locust_demo.py --headless -u 4 -r 4 -t 5s \
#       -H http://127.0.0.1:18095 --csv locust_2.12
# Two endpoints Stampede's compare test also calls (GET /ok, GET /health) and one it does not.
from locust import FastHttpUser, constant, task


class Reader(FastHttpUser):
    wait_time = constant(0.02)

    @task(3)
    def ok(self):
        self.client.get("/ok")

    @task(1)
    def health(self):
        self.client.get("/health")

    @task(1)
    def legacy(self):
        self.client.get("/api/v1/health", name="legacy health")
