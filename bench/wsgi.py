"""The production WSGI app, routing with bench/urls.py (production URLs plus bench-only baselines).

Only `bench.harness.GunicornServer` serves this. The settings module is unchanged; the
URLconf is chosen per request (Django honours `request.urlconf`), so nothing here can
leak into the production URLs. GUARDOPS_BENCH_URLCONF overrides the module.
"""

import os
from typing import Any

from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponseBase

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.config.settings")

import django  # noqa: E402

django.setup(set_prefix=False)

BENCH_URLCONF = os.environ.get("GUARDOPS_BENCH_URLCONF", "bench.urls")


class BenchWSGIHandler(WSGIHandler):
    def get_response(self, request: HttpRequest) -> HttpResponseBase:
        request_any: Any = request
        request_any.urlconf = BENCH_URLCONF
        return super().get_response(request)


application = BenchWSGIHandler()
