"""Security headers on every response: Content-Security-Policy and Permissions-Policy.

Our own few lines rather than django-csp: the policy is one fixed string with no nonces or
per-view changes (every script and style is a static file), so a dependency would add
configuration without adding anything. Referrer-Policy, X-Content-Type-Options,
Cross-Origin-Opener-Policy and X-Frame-Options come from Django's own middleware and settings.
The headers are set on every response, error pages and the admin included; a view that
already set one keeps it.
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import BadRequest

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen", "geolocation",
    "gyroscope", "magnetometer", "microphone", "midi", "payment", "picture-in-picture", "publickey-credentials-get",
    "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
))


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CLAIMBOOK_CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class RefuseNulMiddleware:
    """A NUL character in the query string is a 400 Bad Request, whatever page it is for.

    No parameter of this site may hold one, PostgreSQL cannot compare text with one (a lookup
    such as the admin's search fails inside the database), and SQLite would store it. Forms
    already refuse NUL in what is posted; this covers the query strings that reach querysets
    without a form (the admin's search and filters, third-party admin pages).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        # The API answers bad input with its own problem+json errors (kb/api/).
        if ("%00" in query or "\x00" in query) and not request.path.startswith("/api/"):
            raise BadRequest("NUL characters are not allowed in an address.")
        return self.get_response(request)
