"""Headers every response carries.

Django 5.2 has no Content-Security-Policy support of its own, so this sets a
strict one: nothing from another host, no inline script or style, no eval.
"""

from django.utils.cache import add_never_cache_headers, patch_cache_control

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        extra_styles = getattr(request, "csp_style_sources", None)
        policy = CONTENT_SECURITY_POLICY
        if extra_styles:
            # A page that inlines its CSS names it by hash: still no 'unsafe-inline'.
            policy = policy.replace(
                "style-src 'self'", "style-src 'self' " + " ".join(extra_styles)
            )
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            # Pages of a signed-in user carry patient data: never keep them in a
            # shared tablet's cache or back-forward cache.
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response
