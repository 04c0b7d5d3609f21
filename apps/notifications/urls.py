from django.urls import path

from apps.notifications import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("inbox/unread/", views.InboxUnreadView.as_view(), name="inbox-unread"),
    path("inbox/read/", views.InboxReadView.as_view(), name="inbox-read-all"),
    path("inbox/<int:pk>/read/", views.InboxReadView.as_view(), name="inbox-read"),
    path("messages/", views.MessageListView.as_view(), name="message-list"),
]
