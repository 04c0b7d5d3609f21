from django.urls import path

from apps.eldercare import views

app_name = "eldercare"
urlpatterns = [
    path("", views.InstitutionListView.as_view(), name="institution-list"),
    path("new/", views.InstitutionCreateView.as_view(), name="institution-create"),
    path("<int:pk>/", views.InstitutionDetailView.as_view(), name="institution-detail"),
    path("<int:pk>/edit/", views.InstitutionUpdateView.as_view(), name="institution-update"),
    path("staff/", views.StaffListView.as_view(), name="staff-list"),
    path("staff/new/", views.StaffCreateView.as_view(), name="staff-create"),
    path("staff/<int:pk>/", views.StaffDetailView.as_view(), name="staff-detail"),
    path("staff/<int:pk>/claims/", views.ClaimCreateView.as_view(), name="claim-create"),
    path("blacklist/", views.BlacklistListView.as_view(), name="blacklist-list"),
    path("blacklist/new/", views.BlacklistCreateView.as_view(), name="blacklist-create"),
    path("blacklist/<int:pk>/", views.BlacklistDetailView.as_view(), name="blacklist-detail"),
    path("blacklist/<int:pk>/remove/", views.BlacklistRemoveView.as_view(), name="blacklist-remove"),
    path("blacklist/<int:pk>/publish/", views.BlacklistPublishView.as_view(), name="blacklist-publish"),
    path("claims/", views.ClaimListView.as_view(), name="claim-list"),
    path("claims/<int:pk>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path("claims/<int:pk>/review/", views.ClaimReviewView.as_view(), name="claim-review"),
    path("indicators/", views.IndicatorView.as_view(), name="indicators"),
]
