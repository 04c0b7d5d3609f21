from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from apps.accounts import views as accounts_views
from apps.child_welfare.views.offline import service_worker
from apps.core.middleware import clear_site_data, content_security_policy

handler403 = "apps.core.views.error_403"
handler404 = "apps.core.views.error_404"
handler500 = "apps.core.views.error_500"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html",
                                                redirect_authenticated_user=True), name="login"),
    # Signing out wipes what the offline visit page kept on the device (docs/offline-visits.md).
    path("logout/", clear_site_data(auth_views.LogoutView.as_view()), name="logout"),
    path("sw.js", service_worker, name="service-worker"),
    path("login/otp/", include("apps.accounts.urls")),
    path("account/tokens/", accounts_views.my_tokens, name="my-tokens"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up code as a script file: no inline script (CSP script-src 'self');
    # templates/api/ drop the packaged pages' inline style element and Redoc's Google Fonts. Redoc's bundle writes
    # style elements as it renders (styled-components, no nonce support): that page alone allows inline style.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
         name="api-docs"),
    path("api/redoc/", content_security_policy(style_src="'self' 'unsafe-inline'")(
        SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html")), name="api-redoc"),
    path("", include("apps.core.urls")),
    path("", include("apps.portal.urls")),
    path("applicants/", include("apps.applicants.urls")),
    path("employers/", include("apps.employers.urls")),
    path("eligibility/", include("apps.eligibility.urls")),
    path("training/", include("apps.training.urls")),
    path("childcare/", include("apps.childcare.urls")),
    path("imports/", include("apps.imports.urls")),
    path("child-welfare/", include("apps.child_welfare.urls")),
    path("fraud/", include("apps.fraud.urls")),
    path("refunds/", include("apps.refunds.urls")),
    path("gig/", include("apps.gig.urls")),
    path("public-posts/", include("apps.public_posts.urls")),
    path("eldercare/", include("apps.eldercare.urls")),
    path("startup-loans/", include("apps.startup_loans.urls")),
    path("payments/", include("apps.payments.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("integrations/", include("apps.integrations.urls")),
    path("", include("apps.documents.export_urls")),  # /exports/<id>/ (a background export's status and file)
    path("", include("apps.documents.urls")),  # /verify/<code>/ (public) and /documents/…
    # 公示名单: public, no sign-in, by an unguessable token (apps.publicity).
    path("public/publicity/", include("apps.publicity.urls")),
    path("objections/", include("apps.objections.urls")),
]
