"""What a locked-out sign-in sees (django-axes calls this for the login page and the admin login alike)."""

from django.conf import settings
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "registration/locked_out.html",
                  {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}, status=429)
