"""Caseworker UI, one module per concept: institutions (with staff and safety), enrollments, claims.
Views validate a form, call a service or selector, and render; no rules here."""
