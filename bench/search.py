"""Diamond search on a 500,000-diamond catalog: the shipped search against two baselines.

- naive: the straightforward way (a COUNT, one GROUP BY query per facet, and the page sliced from the sorted
  queryset);
- no indexes: the shipped queries with PostgreSQL's index scans turned off (what the indexes buy).

Needs PostgreSQL (DATABASE_URL, or 127.0.0.1:5432); it creates and fills the database `solitaire_bench` once
(about 30 s) and reuses it afterwards."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

DIAMONDS = int(os.environ.get("BENCH_DIAMONDS", 500_000))
RUNS = int(os.environ.get("BENCH_RUNS", 7))
QUERIES = {
    "done-means: round 1-1.5ct G+ VS2+ <$12k by price": (
        "shape=round&carat_min=1&carat_max=1.5&color_to=g&clarity_to=vs2&price_max=12000&sort=price"
    ),
    "carat 2+ by price, page 5": "carat_min=2&sort=price&page=5",
    "oval+pear, E or better, by carat": "shape=oval&shape=pear&color_to=e&sort=-carat",
    "default landing page": "",
}


def _database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/solitaire")
    return base.rsplit("/", 1)[0] + "/solitaire_bench"


def _prepare(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    count = subprocess.run(
        [*manage, "shell", "-c", "from catalog.models import Diamond; print(Diamond.objects.count())"],
        env=env, check=True, capture_output=True, text=True,
    ).stdout.split()[-1]  # fmt: skip
    if int(count) < DIAMONDS:
        print(f"Seeding {DIAMONDS:,} diamonds into {name} (once)...", flush=True)
        subprocess.run([*manage, "seed_catalog", "--clear", "--diamonds", str(DIAMONDS)], env=env, check=True)


def _median_ms(fn) -> float:
    fn()  # warm
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    url = _database_url()
    try:
        _prepare(url)
    except Exception as exc:  # no PostgreSQL: say so plainly, do not pretend
        print(f"bench/search: needs PostgreSQL ({exc.__class__.__name__}: {exc}); skipped")
        return 0
    os.environ["DATABASE_URL"] = url
    os.environ["SEARCH_FACET_CACHE_SECONDS"] = "0"  # measure the queries, not the cache
    import django

    django.setup()
    from django.core.paginator import Paginator
    from django.db import connection
    from django.db.models import Count
    from django.http import QueryDict

    from catalog.search import DIAMOND_FACETS, DIAMOND_SORTS, DiamondFilter, diamond_search, diamonds_base

    def ours(qs):
        result = diamond_search(QueryDict(qs))
        return result.count, [d.pk for d in result.page.object_list]

    def naive(qs):
        data = QueryDict(qs)
        base = diamonds_base("natural")
        filterset = DiamondFilter(data, queryset=base)
        results = filterset.qs.order_by(*DIAMOND_SORTS[data.get("sort", "price")][1])
        for facet in DIAMOND_FACETS:
            without = data.copy()
            for param in facet.excludes:
                without.pop(param, None)
            list(DiamondFilter(without, queryset=base).qs.order_by().values(facet.field).annotate(n=Count("pk")))
        page = Paginator(results, 24).get_page(data.get("page", "1"))
        return page.paginator.count, [d.pk for d in page.object_list]

    def without_indexes(fn):
        def run(qs):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off"
                )
            try:
                return fn(qs)
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("RESET enable_indexscan; RESET enable_bitmapscan; RESET enable_indexonlyscan")

        return run

    from catalog.models import Diamond

    print(f"Diamond search on {Diamond.objects.count():,} diamonds, median of {RUNS} runs (ratios: baseline / ours)")
    print(f"{'query':52} {'results':>8} {'naive/ours':>11} {'no-index/ours':>14}")
    for label, qs in QUERIES.items():
        count, page = ours(qs)
        assert naive(qs) == (count, page), f"the baselines must return the same page for {label}"
        t_ours = _median_ms(lambda qs=qs: ours(qs))
        t_naive = _median_ms(lambda qs=qs: naive(qs))
        t_noindex = _median_ms(lambda qs=qs: without_indexes(ours)(qs))
        print(f"{label:52} {count:>8,} {t_naive / t_ours:>10.1f}x {t_noindex / t_ours:>13.1f}x")
    return 0
