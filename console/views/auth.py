"""The console's sign-in, sign-out and password pages: the ones every surface shares (accounts/views.py),
with the throttled sign-in (429 with Retry-After after too many wrong passwords)."""

from backend.accounts.views import surface_auth_views
from console.access import console_view

_auth = surface_auth_views(surface="console", door=console_view)
login_view, logout_view, password_change_view = _auth.login, _auth.logout, _auth.password_change
