"""Scale-out, measured (docs/deploy.md): do two application servers add up?

Needs the bench database (run ``make bench`` once first); makes fresh sessions itself.
Starts SafetyNet's gunicorn with ONE worker on two ports and nginx on a third port as the load
balancer (round robin), then loads one page with wrk:

  a. one instance, directly;          b. one instance behind nginx;
  c. two instances behind nginx.

Throughput adds up when c ≈ 2 × b. The machine's cores are shared by both instances, wrk, nginx
and PostgreSQL, so on a 2-core machine the sum is bounded by the cores, not by SafetyNet:
the result says how close it comes. Writes bench/results/<date>-scaleout.json and .md.

    .venv/bin/python bench/scaleout.py [--page actor-list]"""

import argparse
import datetime
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (  # noqa: E402
    PORT,
    PYTHON,
    RESULTS,
    WORK,
    Server,
    ensure_debian,
    environment,
    load,
    run,
    say,
)

NGINX_PORT = PORT + 10

NGINX_CONF = """
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {work}/nginx-body;
  proxy_temp_path {work}/nginx-proxy;
  upstream safetynet {{ {servers} keepalive 8; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://safetynet;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }}
  }}
}}
"""


class Nginx:
    def __init__(self, nginx: str, ports: list[int]):
        servers = " ".join(f"server 127.0.0.1:{port};" for port in ports)
        self.conf = WORK / "nginx.conf"
        self.conf.write_text(NGINX_CONF.format(work=WORK, servers=servers, port=NGINX_PORT))
        self.nginx = nginx
        subprocess.run([nginx, "-c", str(self.conf), "-e", str(WORK / "nginx-error.log")],
                       check=True)  # fmt: skip

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{NGINX_PORT}{path}"

    def stop(self) -> None:
        subprocess.run([self.nginx, "-c", str(self.conf), "-s", "stop"], check=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--page", default="actor-list")
    parser.add_argument("--seconds", type=int, default=15)
    options = parser.parse_args()
    # Fresh sessions: those of the last `make bench` may have ended (idle timeout).
    run(PYTHON, "bench/prepare.py", "--out", str(WORK / "world.json"))
    world = json.loads((WORK / "world.json").read_text())
    target = next(t for t in world["targets"] if t["key"] == options.page)
    cookie = world["cookies"][target["role"]]
    nginx = ensure_debian("nginx", "nginx-light")
    wrk = ensure_debian("wrk", "wrk")
    environment()  # the secret key of the prepared sessions
    first = Server("safetynet.settings.production", PORT, workers=1)
    second = Server("safetynet.settings.production", PORT + 1, workers=1)
    runs = {}
    try:
        first.wait("/healthz")
        second.wait("/healthz")
        say("a. one instance, directly")
        runs["one_direct"] = load(wrk, first.url(target["path"]),
                                  cookie, options.seconds, 4)  # fmt: skip
        proxy = Nginx(nginx, [first.port])
        try:
            say("b. one instance behind nginx")
            runs["one_proxied"] = load(wrk, proxy.url(target["path"]), cookie,
                                       options.seconds, 4)  # fmt: skip
        finally:
            proxy.stop()
        proxy = Nginx(nginx, [first.port, second.port])
        try:
            say("c. two instances behind nginx")
            runs["two_proxied"] = load(wrk, proxy.url(target["path"]), cookie,
                                       options.seconds, 4)  # fmt: skip
        finally:
            proxy.stop()
    finally:
        first.stop()
        second.stop()
    today = datetime.date.today().isoformat()
    gain = round(runs["two_proxied"]["rps"] / runs["one_proxied"]["rps"], 2)
    result = {"date": today, "page": target["label"], "path": target["path"], "runs": runs,
              "two_over_one": gain}  # fmt: skip
    (RESULTS / f"{today}-scaleout.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        f"# Scale-out {today}: {target['label']}",
        "",
        "One gunicorn worker per instance; nginx round robin; wrk, 4 connections, on loopback.",
        "",
        "| run | req/s | p50 ms | p99 ms |",
        "|---|--:|--:|--:|",
        *(f"| {name} | {r['rps']} | {r['p50_ms']} | {r['p99_ms']} |" for name, r in runs.items()),
        "",
        f"Two instances ÷ one (both behind nginx): **{gain}×**.",
    ]
    (RESULTS / f"{today}-scaleout.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
