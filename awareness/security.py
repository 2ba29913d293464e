"""Response headers that every page gets: a strict CSP and friends."""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def register(app: Flask) -> None:
    @app.after_request
    def set_security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.endpoint != "static" and "Cache-Control" not in response.headers:
            # Pages and API answers may be personal: no cache keeps them, not even the
            # browser's back button after signing out. Deciding by the endpoint, not by
            # who is signed in, costs static files no session lookup.
            response.headers["Cache-Control"] = "no-store"
        return response
