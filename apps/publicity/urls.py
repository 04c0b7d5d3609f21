from django.urls import path, register_converter

from apps.publicity import views


class TokenConverter:
    """A publication token: 32 URL-safe characters (apps.publicity.services.TOKEN_BYTES). Anything else is
    not a route, so a numeric id or a short guess is a plain 404."""

    regex = "[A-Za-z0-9_-]{32}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class FormatConverter:
    regex = "csv|xlsx|pdf"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "publicity_token")
register_converter(FormatConverter, "publicity_format")

app_name = "publicity"
urlpatterns = [
    path("<publicity_token:token>/", views.public_list_page, name="list"),
    path("<publicity_token:token>/download.<publicity_format:fmt>", views.public_list_download, name="download"),
]
