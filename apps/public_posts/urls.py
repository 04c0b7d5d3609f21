from django.urls import path

from apps.public_posts import views

app_name = "public_posts"
urlpatterns = [
    path("", views.PostListView.as_view(), name="post-list"),
    path("new/", views.PostCreateView.as_view(), name="post-create"),
    path("<int:pk>/", views.PostDetailView.as_view(), name="post-detail"),
    path("<int:pk>/status/", views.PostStatusView.as_view(), name="post-status"),
    path("<int:pk>/placements/", views.PlacementCreateView.as_view(), name="placement-create"),
    path("placements/<int:pk>/exit/", views.PlacementExitView.as_view(), name="placement-exit"),
    path("placements/<int:pk>/renew/", views.PlacementRenewView.as_view(), name="placement-renew"),
    path("runs/", views.RunListView.as_view(), name="run-list"),
    path("runs/new/", views.RunStartView.as_view(), name="run-start"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="run-detail"),
    path("runs/<int:pk>/review/", views.RunReviewView.as_view(), name="run-review"),
    path("runs/<int:pk>/resume/", views.RunResumeView.as_view(), name="run-resume"),
    path("runs/<int:pk>/export/", views.RunExportView.as_view(), name="run-export"),
]
