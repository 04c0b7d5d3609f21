from django.urls import path

from apps.gig import views

app_name = "gig"
urlpatterns = [
    path("", views.PostingListView.as_view(), name="posting-list"),
    path("postings/new/", views.PostingCreateView.as_view(), name="posting-create"),
    path("postings/<int:pk>/", views.PostingDetailView.as_view(), name="posting-detail"),
    path("postings/<int:pk>/place/", views.PostingPlaceView.as_view(), name="posting-place"),
    path("postings/<int:pk>/action/", views.PostingActionView.as_view(), name="posting-action"),
    path("placements/<int:pk>/follow-up/", views.FollowUpCreateView.as_view(), name="follow-up-create"),
    path("workers/", views.AvailabilityListView.as_view(), name="availability-list"),
    path("workers/new/", views.AvailabilityCreateView.as_view(), name="availability-create"),
    path("workers/<int:pk>/", views.AvailabilityDetailView.as_view(), name="availability-detail"),
    path("workers/<int:pk>/close/", views.AvailabilityCloseView.as_view(), name="availability-close"),
    path("brokers/", views.BrokerListView.as_view(), name="broker-list"),
    path("brokers/new/", views.BrokerCreateView.as_view(), name="broker-create"),
    path("brokers/<int:pk>/", views.BrokerDetailView.as_view(), name="broker-detail"),
    path("brokers/<int:pk>/deregister/", views.BrokerDeregisterView.as_view(), name="broker-deregister"),
    path("performance/", views.BrokerPerformanceView.as_view(), name="performance"),
]
