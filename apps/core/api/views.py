"""Viewset behaviour shared by every app's API."""


class RecordBeforeBody:
    """A detail route (`/cases/{id}/risk/`) looks its record up before it reads the request body.

    Otherwise an action validated its body first and answered an out-of-scope id with a 400 about the body,
    and only a valid body reached the scoped lookup's 404 (tests/security/test_access_matrix.py): one id,
    two answers. Here an id the caller may not see is a 404 whatever the body, like an unknown id.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if getattr(self, "detail", False) and "pk" in kwargs and getattr(self, "action", None) != "retrieve":
            self.get_object()  # type: ignore[attr-defined]
