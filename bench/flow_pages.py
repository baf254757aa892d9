"""Time every page of a session's flow against bare reference views, in one run.

Seeds the large bench clinic (bench/seed_large.py) if needed, opens a session
for a patient with 10 past sessions, starts gunicorn (sync workers, DEBUG off),
signs in through the login form and times N sequential requests of each page.
Absolute times on a shared machine are noisy: read the ratios to the reference
views measured in the same run (docs/benchmarks.md).

    python bench/flow_pages.py [-n 50]

Query counts come from the same pages rendered in this process, for the
patient with 10 past sessions and for one with a single past session: they
should be equal (a screen's queries do not grow with the history).
"""

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

WARMUP = 5


def flow_pages(session, areas):
    """(label, path or None, why not) for each page; a missing URL is reported, not fatal."""
    from django.urls import NoReverseMatch, reverse

    area_id = areas[0].id if areas else 0
    specs = [
        ("review actions", "sessions:review_actions", [session.code]),
        ("rate item", "sessions:rate_item", [session.code, 1]),
        ("review ratings", "sessions:review", [session.code]),
        ("select areas", "sessions:select", [session.code]),
        ("step", "sessions:step", [session.code, area_id, 1]),
        ("summary", "sessions:summary", [session.code]),
    ]
    pages = []
    for label, name, args in specs:
        try:
            pages.append((label, reverse(name, args=args), ""))
        except NoReverseMatch as exc:
            pages.append((label, None, f"no URL ({exc.__class__.__name__}: {name})"))
    return pages


def time_get(client, path, count):
    for _ in range(WARMUP):
        client.get(path)
    responses = [client.get(path) for _ in range(count)]
    return responses


def time_rating_saves(client, path, rating, count):
    """Autosaves as htmx sends them: each one changes the value, naming the revision."""
    revision = rating.revision
    responses = []
    for index in range(WARMUP + count):
        value = 3 if (rating.value or 0) != 3 and index % 2 == 0 else 5
        if value == rating.value:
            value = 4
        response = client.post(
            path, {"value": value, "revision": revision}, headers={"HX-Request": "true"}
        )
        if response.status < 400:
            revision += 1
            rating.value = value
        if index >= WARMUP:
            responses.append(response)
    return responses


def query_counts(user, pages_by_patient):
    """Queries per page rendered in-process, for each patient's open session."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    counts = {}
    for key, pages in pages_by_patient.items():
        for label, path, _why in pages:
            if path is None:
                continue
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            counts[(key, label)] = (len(captured), response.status_code)
    return counts


def report(rows):
    """One line per page: statuses, median and p95, and the ratios to the references."""
    healthz = next(row["median"] for row in rows if row["label"] == "healthz")
    bare = {row["label"]: row["median"] for row in rows if row["label"].startswith("bare")}
    header = (
        f"{'page':<24}{'status':>8}{'median ms':>11}{'p95 ms':>9}"
        f"{'× healthz':>11}{'× bare':>8}  queries"
    )
    sys.stdout.write(header + "\n" + "-" * (len(header) + 30) + "\n")
    for row in rows:
        if row["median"] is None:
            sys.stdout.write(f"{row['label']:<24}{row['status']}\n")
            continue
        to_bare = ""
        if row.get("bare") in bare:
            to_bare = f"{row['median'] / bare[row['bare']]:.1f}"
        sys.stdout.write(
            f"{row['label']:<24}{row['status']:>8}{row['median']:>11.2f}{row['p95']:>9.2f}"
            f"{row['median'] / healthz:>11.1f}{to_bare:>8}  {row.get('queries', '')}\n"
        )


def row_for(label, responses, bare=None, queries=""):
    median, p95 = common.summarize([r.seconds for r in responses])
    codes = sorted({r.status for r in responses})
    return {
        "label": label,
        "status": "/".join(str(c) for c in codes),
        "failed": any(code >= 400 for code in codes),
        "median": median,
        "p95": p95,
        "bare": bare,
        "queries": queries,
    }


def missing_row(label, why):
    return {"label": label, "status": why, "failed": False, "median": None}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--requests", type=int, default=50, help="timed requests per page")
    args = parser.parse_args()

    common.setup_django()
    subjects = common.prepare_database()
    from django.urls import reverse

    from bench import seed_large
    from sessions_app.models import Rating

    clinician = subjects["clinician"]
    session, areas = seed_large.open_session(subjects["patient"], clinician)
    short_session, short_areas = seed_large.open_session(subjects["short_patient"], clinician)
    pages = flow_pages(session, areas)
    counts = query_counts(
        clinician, {"long": pages, "short": flow_pages(short_session, short_areas)}
    )
    rating = Rating.objects.get(session=session, domain__position=1)

    rows = []
    with common.gunicorn_server() as base_url:
        client = common.Client(base_url)
        common.login(client, reverse("accounts:login"))
        references = [
            ("healthz", reverse("healthz")),
            ("bare hello", reverse("bench_hello")),
            ("bare page", reverse("bench_page") + f"?code={session.code}"),
        ]
        for label, path in references:
            rows.append(row_for(label, time_get(client, path, args.requests)))
        for label, path, why in pages:
            if path is None:
                rows.append(missing_row(label, why))
                continue
            long_q = counts.get(("long", label), ("?",))[0]
            short_q = counts.get(("short", label), ("?",))[0]
            rows.append(
                row_for(
                    label,
                    time_get(client, path, args.requests),
                    bare="bare page",
                    queries=f"{long_q} with 10 past sessions, {short_q} with 1",
                )
            )
        write_path = reverse("bench_write")
        writes = [client.post(write_path, {"id": rating.id}) for _ in range(args.requests)]
        rows.append(row_for("bare write", writes))
        rating.refresh_from_db()
        save_path = next((path for label, path, _why in pages if label == "rate item"), None)
        if save_path is None:
            rows.append(missing_row("rating save (POST)", "no URL"))
        else:
            saves = time_rating_saves(client, save_path, rating, args.requests)
            rows.append(row_for("rating save (POST)", saves, bare="bare write"))

    database = common.BENCH_DATABASE_URL.split(":")[0]
    sys.stdout.write(
        f"\n{args.requests} sequential requests each after {WARMUP} warm-up; gunicorn "
        f"{common.WORKERS} sync workers, DEBUG off, {database}. Ratios are medians over the "
        "median of /healthz and of the bare reference view (same server, same run).\n\n"
    )
    report(rows)
    return 1 if any(row["failed"] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
