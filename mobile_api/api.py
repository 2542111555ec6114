"""The guards' mobile API, version 1: `/api/mobile/v1`, OpenAPI at `/openapi.json`."""

from ninja import NinjaAPI

from mobile_api.auth import DeviceTokenAuth
from mobile_api.errors import install_error_handlers
from mobile_api.routers import auth, dispatches, field, incidents, notices, pings, shifts

api = NinjaAPI(
    title="GuardOps mobile API",
    version="1.0.0",
    description=(
        "For guards' phones: shifts and post orders, clock-in/out with GPS, breadcrumbs, "
        "incident reports with photos, daily activity, checkpoint scans and panic alerts. "
        "Every write is idempotent on its client-generated UUID, so a phone can retry freely. "
        "Errors are JSON `{code, message, fields?}`, under this prefix always. Text fields refuse control "
        "characters (C0, DEL, C1); only a report's narrative, an activity entry's text, a person's "
        "description and a dispatch's completion note keep tabs and line breaks."
    ),
    urls_namespace="mobile_api_v1",
    auth=DeviceTokenAuth(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)

api.add_router("", auth.router)
api.add_router("", shifts.router)
api.add_router("", pings.router)
api.add_router("", incidents.router)
api.add_router("", field.router)
api.add_router("", notices.router)
api.add_router("", dispatches.router)
