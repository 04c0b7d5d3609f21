from django.urls import path

from apps.startup_loans import views

app_name = "startup_loans"
urlpatterns = [
    path("", views.ApplicationListView.as_view(), name="application-list"),
    path("new/", views.ApplicationCreateView.as_view(), name="application-create"),
    path("<int:pk>/", views.ApplicationDetailView.as_view(), name="application-detail"),
    path("<int:pk>/claims/new/", views.ClaimCreateView.as_view(), name="claim-create"),
    path("<int:pk>/lender/", views.ApplicationLenderView.as_view(), name="application-lender"),
    path("<int:pk>/<str:action>/", views.ApplicationReviewView.as_view(), name="application-review"),
    path("lenders/", views.LenderListView.as_view(), name="lender-list"),
    path("lenders/new/", views.LenderCreateView.as_view(), name="lender-create"),
    path("lenders/<int:pk>/edit/", views.LenderUpdateView.as_view(), name="lender-update"),
    path("claims/", views.ClaimListView.as_view(), name="claim-list"),
    path("claims/<int:pk>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path("claims/<int:pk>/<str:action>/", views.ClaimReviewView.as_view(), name="claim-review"),
]
