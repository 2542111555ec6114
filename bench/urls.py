"""Bench-only URLs: everything production serves, plus the baselines the benchmarks compare with."""

from django.urls import path

from backend.config.urls import urlpatterns as production_urlpatterns
from bench.ping_baseline import baseline_api
from bench.review_queue_baseline import baseline_queue

urlpatterns = [
    *production_urlpatterns,
    path("bench/baseline/", baseline_api.urls),
    # bench_review_queue.py: the queue paged with OFFSET/LIMIT and COUNT(*).
    path("bench/baseline/reports", baseline_queue),
]
