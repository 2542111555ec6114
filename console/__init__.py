"""The operations console (/console/): where managers and site supervisors work (UI.md).

Adding a page (one area = one module in views/, its templates in templates/console/<area>/):

1. A view, thin, behind `console_view` (outermost decorator):

       from console import navigation
       from console.access import ConsoleRequest, console_view

       navigation.register(label="Reviews", url_name="console:reports", order=10)

       @console_view
       def report_detail(request: ConsoleRequest, report_id: UUID) -> HttpResponse:
           report = incident_report_get_visible(scope=request.scope, report_id=report_id)
           ...

   Every object in a URL comes through a `*_get_visible(scope=request.scope, ...)`
   selector: their NotFound is the console's 404 page; a service's ApplicationError a
   view did not turn into form errors becomes a page with its status (never a 500).
   Actions are POST (`require_POST` under `console_view`).
2. One template per page extending "console/base.html"; the part htmx refreshes is a
   `{% partialdef name inline %}` in the same file, and the view renders
   "console/<page>.html#name" when `request.htmx`. `Vary: HX-Request` is added for you.
3. No inline <script>, <style> or on*= (the CSP refuses them): behaviour goes in a named
   controller in static/console/js/<name>.js (`GuardOps.register("name", (element) => ...)`,
   `data-controller="name"` on the element; data in `{{ value|json_script:"id" }}`).
   Maps: `{% include "console/_leaflet.html" %}` in `{% block head %}` and the `map`
   controller (static/console/js/map.js).
4. Times: `{% load console_tags %}{{ moment|local:site.timezone }}` ("2026-12-01 00:14 EST"),
   `|local_time:` for "00:14 EST". Status words: `{% status "critical" "Critical" %}`.
5. The URL in urls.py, and an isolation case in tests/console/isolation_cases/<area>.py
   (tests/console/test_isolation.py fails for a URL without one).
"""
