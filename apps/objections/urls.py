from django.urls import path

from apps.objections import views

app_name = "objections"
urlpatterns = [
    path("", views.ObjectionListView.as_view(), name="list"),
    path("new/<slug:source>/<int:record_id>/<int:row_key>/", views.LodgeView.as_view(), name="lodge"),
    path("<int:pk>/", views.ObjectionDetailView.as_view(), name="detail"),
    path("<int:pk>/assign/", views.AssignView.as_view(), name="assign"),
    path("<int:pk>/decide/", views.DecideView.as_view(), name="decide"),
    path("<int:pk>/attachments/", views.AttachView.as_view(), name="attach"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.AttachmentDownloadView.as_view(), name="attachment"),
]
