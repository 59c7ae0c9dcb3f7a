"""``make bench``: SafetyNet's main pages under load, each beside its floor, in one run.

1. the bench database (PostgreSQL, ``BENCH_DATABASE_URL``, created when missing) is migrated
   and filled by ``seed_scale --municipalities BENCH_MUNICIPALITIES`` (resumable: a second run
   adds nothing);
2. ``bench/prepare.py`` makes the sessions (second factor verified), resolves the pages of
   ``scale-001`` and counts each page's queries;
3. two gunicorns start with the production settings, 2 sync workers each, persistent database
   connections: SafetyNet itself, and the floor (``bench/floor``: Django's default middleware, a
   bare view of the same rows, Django admin's changelist of the same rows);
4. wrk loads each page, then its floor, then its admin changelist (interleaved, so that what
   else the machine does weighs on all three alike), bounded in time and in requests;
5. the plan's PDF is rendered by the background worker (seconds per page, peak memory), then
   asked for again (never rendered twice) and served under load;
6. ``bench/results/<date>.json`` and ``.md``: requests/s, p50, p99, queries, ratios to the
   floor and to the admin, and the issue's targets met or not.

Settings (environment): BENCH_DATABASE_URL, BENCH_MUNICIPALITIES (50), BENCH_SECONDS (10 per
measurement), BENCH_CONNECTIONS (2), BENCH_MAX_REQUESTS (5000 per measurement), BENCH_PORT
(8101; the floor on the next port)."""

import datetime
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
PYTHON = str(VENV / "python")
WORK = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results"

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://safetynet:safetynet@127.0.0.1:5432/safetynet_bench"
)
MUNICIPALITIES = int(os.environ.get("BENCH_MUNICIPALITIES", "50"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "2"))
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "5000"))
PORT = int(os.environ.get("BENCH_PORT", "8101"))
WORKERS = 2

# The targets, as (what, check) over a page's measurements: see ``verdicts``.
NEAR_FLOOR = {"plan", "actor-list", "monitor"}  # p50 ≤ 2× floor, requests/s ≥ 0.5× floor
PUBLIC = {"public"}  # requests/s ≥ 0.8× floor
PDF_SECONDS_PER_PAGE = 0.12
PDF_PEAK_MB = 350


def say(text: str) -> None:
    print(f"bench: {text}", flush=True)


def environment(settings: str = "safetynet.settings.production") -> dict:
    key_file = WORK / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "SECRET_KEY": key_file.read_text().strip(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": DATABASE_URL,
        "CONN_MAX_AGE": "600",
        "MEDIA_ROOT": str(WORK / "media"),
        "PYTHONPATH": str(ROOT),
    }


def run(*command: str, env=None, capture=False) -> str:
    result = subprocess.run(
        command, cwd=ROOT, env=env or environment(), check=True, text=True,
        stdout=subprocess.PIPE if capture else None,
    )  # fmt: skip
    return result.stdout if capture else ""


def ensure_debian(command: str, package: str) -> str:
    """The path of ``command``, installing Debian's ``package`` first when it is missing."""
    if not shutil.which(command):
        say(f"installing Debian's {package}")
        subprocess.run(["apt-get", "install", "-y", "-qq", package], check=False)
        if not shutil.which(command):
            subprocess.run(["apt-get", "update", "-qq"], check=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", package], check=True)
    return shutil.which(command)


def ensure_database() -> None:
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            say(f"creating the database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')  # nosec B608 - our own setting


def analyze() -> None:
    """Fresh planner statistics after the bulk load, as a database in use has (autovacuum would
    take its time): without them PostgreSQL guesses 3 rows where there are 1,000."""
    import psycopg

    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        connection.execute("SET client_min_messages = error")  # the catalogues are not ours
        connection.execute("ANALYZE")


class Server:
    """A gunicorn with the production settings (or the floor's) on a port of loopback."""

    def __init__(self, settings: str, port: int, workers: int = WORKERS):
        self.port = port
        self.log = open(WORK / f"gunicorn-{port}.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [str(VENV / "gunicorn"), "safetynet.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--worker-class", "sync", "--timeout", "120"],
            cwd=ROOT, env=environment(settings), stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait(self, path: str) -> None:
        for _ in range(100):
            try:
                fetch(self.url(path), "")  # any answer will do: it is up
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"bench: gunicorn on port {self.port} did not start: see {self.log.name}")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()


def headers(cookie: str) -> dict:
    found = {"X-Forwarded-Proto": "https", "Accept-Language": "nl"}
    if cookie:
        found["Cookie"] = cookie
    return found


def fetch(url: str, cookie: str) -> tuple[int, bytes]:
    """One request, as wrk will send it: a redirect (to the login, say) is a failure."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers(cookie))
    try:
        with opener.open(request, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
        return error.code, b""


def load(wrk: str, url: str, cookie: str, seconds: int = SECONDS, connections=CONNECTIONS) -> dict:
    status, body = fetch(url, cookie)
    if status != 200:
        raise SystemExit(f"bench: {url} answered {status}; the measurement would be wrong")
    command = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s",
               "-s", str(ROOT / "bench" / "report.lua")]  # fmt: skip
    for name, value in headers(cookie).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], check=True, text=True, stdout=subprocess.PIPE,
        env={**os.environ, "BENCH_MAX_REQUESTS": str(MAX_REQUESTS)},
    ).stdout  # fmt: skip
    report = json.loads([line for line in output.splitlines() if line.startswith("{")][-1])
    seconds_taken = report["duration_us"] / 1e6
    result = {
        "requests": report["requests"],
        "rps": round(report["requests"] / seconds_taken, 1),
        "p50_ms": round(report["p50_us"] / 1000, 2),
        "p99_ms": round(report["p99_us"] / 1000, 2),
        "errors": report["errors"],
        "non2xx": report["non2xx"],
        "kb": round(len(body) / 1024),
    }
    if result["errors"] or result["non2xx"]:
        raise SystemExit(f"bench: {url} failed under load: {result}")
    return result


def ratio(a, b):
    return round(a / b, 2) if b else None


def at_most(value, limit) -> bool:
    return value is not None and value <= limit


def at_least(value, limit) -> bool:
    return value is not None and value >= limit


def verdicts(page: dict) -> list[dict]:
    """The issue's targets for this page, each with its measured value and met or not."""
    found = []
    key, me, admin = page["key"], page["page"], page.get("admin")
    if key in NEAR_FLOOR:
        found.append(
            {"target": "p50 ≤ 2× floor", "value": page["p50_vs_floor"],
             "met": at_most(page["p50_vs_floor"], 2)}
        )  # fmt: skip
        found.append(
            {"target": "requests/s ≥ 0.5× floor", "value": page["rps_vs_floor"],
             "met": at_least(page["rps_vs_floor"], 0.5)}
        )  # fmt: skip
    if key in PUBLIC:
        found.append(
            {"target": "requests/s ≥ 0.8× floor", "value": page["rps_vs_floor"],
             "met": at_least(page["rps_vs_floor"], 0.8)}
        )  # fmt: skip
    if admin:
        found.append(
            {"target": "p50 ≤ admin's", "value": ratio(me["p50_ms"], admin["p50_ms"]),
             "met": me["p50_ms"] <= admin["p50_ms"]}
        )  # fmt: skip
    return found


def measure_pdf(wrk: str, world: dict, product: Server) -> dict:
    plan = next(t for t in world["targets"] if t["key"] == "plan")
    plan_id = int(plan["path"].rstrip("/").rsplit("/", 1)[-1])
    env = environment()
    manage = [PYTHON, "manage.py"]
    run(*manage, "documents_worker", "--batch", "--queue-name", "*", "--no-startup-delay", env=env)
    requested = json.loads(
        run(PYTHON, "bench/pdf_step.py", "request", "--plan", str(plan_id), env=env, capture=True)
    )
    worker = [*manage, "documents_worker", "--batch", "--queue-name", "*", "--no-startup-delay"]
    peak = json.loads(
        run(PYTHON, "bench/peak.py", "--", *worker, env=env, capture=True).splitlines()[-1]
    )
    checked = json.loads(
        run(PYTHON, "bench/pdf_step.py", "check", "--plan", str(plan_id),
            "--document", str(requested["document"]), env=env, capture=True)
    )  # fmt: skip
    url = product.url(f"{plan['path']}pdf/?lang=nl")
    served = load(wrk, url, world["cookies"]["coordinator"])
    seconds_per_page = round(checked["seconds"] / checked["pages"], 3) if checked["pages"] else 0
    return {
        **checked,
        "seconds_per_page": seconds_per_page,
        "peak_memory_mb": peak["peak_memory_mb"],
        "served": served,
        "verdicts": [
            {"target": f"≤ {PDF_SECONDS_PER_PAGE} s per page", "value": seconds_per_page,
             "met": 0 < seconds_per_page <= PDF_SECONDS_PER_PAGE},
            {"target": f"peak memory ≤ {PDF_PEAK_MB} MB (about 100 pages)",
             "value": peak["peak_memory_mb"], "met": peak["peak_memory_mb"] <= PDF_PEAK_MB},
            {"target": "the same content never rendered twice",
             "value": checked["rendered_once"], "met": checked["rendered_once"]},
        ],
    }  # fmt: skip


def markdown(result: dict) -> str:
    lines = [
        f"# Benchmark {result['date']}",
        "",
        f"Machine: {result['machine']}. Data: `seed_scale --municipalities "
        f"{result['municipalities']}`, pages of `{result['municipality']}`. gunicorn "
        f"{WORKERS} sync workers per server, wrk {CONNECTIONS} connections, "
        f"{result['seconds']} s (at most {MAX_REQUESTS} requests) per measurement, on loopback.",
        "",
        "| page | rows | queries | KB | req/s | p50 ms | p99 ms | floor req/s | floor p50 | "
        "admin req/s | admin p50 | p50 ÷ floor | req/s ÷ floor | p50 ÷ admin |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for page in result["pages"]:
        me, floor, admin = page["page"], page["floor"], page.get("admin") or {}
        lines.append(
            f"| {page['label']} | {page['rows']} | {page['queries']} | {me['kb']} | {me['rps']} | "
            f"{me['p50_ms']} | {me['p99_ms']} | {floor['rps']} | {floor['p50_ms']} | "
            f"{admin.get('rps', '—')} | {admin.get('p50_ms', '—')} | {page['p50_vs_floor']} | "
            f"{page['rps_vs_floor']} | {page.get('p50_vs_admin') or '—'} |"
        )
    pdf = result["pdf"]
    lines += [
        "",
        f"PDF of the plan ({pdf['pages']} pages, {pdf['bytes']} bytes): rendered by the "
        f"background worker in {pdf['seconds']} s = {pdf['seconds_per_page']} s per page, peak "
        f"memory of the worker {pdf['peak_memory_mb']} MB; served from storage afterwards at "
        f"{pdf['served']['rps']} requests/s (p50 {pdf['served']['p50_ms']} ms).",
        "",
        "## Targets",
        "",
        "| page | target | value | met |",
        "|---|---|--:|---|",
    ]
    for page in [*result["pages"], {"label": "PDF", "verdicts": pdf["verdicts"]}]:
        for verdict in page["verdicts"]:
            met = "yes" if verdict["met"] else "**no**"
            lines.append(f"| {page['label']} | {verdict['target']} | {verdict['value']} | {met} |")
    return "\n".join(lines) + "\n"


def machine() -> str:
    cores = os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cores} cores, {memory:.0f} GiB, Python {sys.version.split()[0]}"


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    wrk = ensure_debian("wrk", "wrk")
    ensure_database()
    manage = [PYTHON, "manage.py"]
    say("migrating the bench database")
    run(*manage, "migrate", "--no-input", "-v", "0")
    say(f"scale data: {MUNICIPALITIES} municipalities (resumes where it stopped)")
    run(*manage, "seed_scale", "--municipalities", str(MUNICIPALITIES))
    analyze()
    run(*manage, "collectstatic", "--no-input", "-v", "0")
    say("sessions, addresses and query counts")
    world_file = WORK / "world.json"
    run(PYTHON, "bench/prepare.py", "--out", str(world_file))
    world = json.loads(world_file.read_text())

    product = Server("safetynet.settings.production", PORT)
    floor = Server("bench.floor.settings", PORT + 1)
    try:
        product.wait("/healthz")
        floor.wait("/admin/login/")
        pages = []
        for target in world["targets"]:
            say(f"{target['label']}: page, floor, admin")
            cookie = world["cookies"][target["role"]]
            page = {
                **target,
                "page": load(wrk, product.url(target["path"]), cookie),
                "floor": load(wrk, floor.url(target["floor"]), world["cookies"]["admin"]),
            }
            if target["admin"]:
                page["admin"] = load(wrk, floor.url(target["admin"]), world["cookies"]["admin"])
                page["p50_vs_admin"] = ratio(page["page"]["p50_ms"], page["admin"]["p50_ms"])
            page["p50_vs_floor"] = ratio(page["page"]["p50_ms"], page["floor"]["p50_ms"])
            page["rps_vs_floor"] = ratio(page["page"]["rps"], page["floor"]["rps"])
            page["verdicts"] = verdicts(page)
            pages.append(page)
            print(json.dumps({k: page[k] for k in ("key", "queries", "page", "floor")}))
        say("the plan's PDF")
        pdf = measure_pdf(wrk, world, product)
    finally:
        product.stop()
        floor.stop()

    today = datetime.date.today().isoformat()
    result = {
        "date": today,
        "machine": machine(),
        "municipalities": MUNICIPALITIES,
        "municipality": world["municipality"],
        "seconds": SECONDS,
        "connections": CONNECTIONS,
        "workers": WORKERS,
        "pages": [{k: v for k, v in page.items() if k != "role"} for page in pages],
        "pdf": pdf,
    }
    (RESULTS / f"{today}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / f"{today}.md").write_text(markdown(result))
    print(markdown(result))
    say(f"written to bench/results/{today}.md and .json")


if __name__ == "__main__":
    main()
