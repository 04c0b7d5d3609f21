from django.urls import path

from apps.payments import views

app_name = "payments"
urlpatterns = [
    path("reissue/", views.ReissueWorklistView.as_view(), name="reissue-worklist"),
    path("batches/<int:pk>/", views.BatchView.as_view(), name="batch"),
    path("batches/<int:pk>/file.<str:fmt>", views.BatchFileView.as_view(), name="batch-file"),
    path("batches/<int:pk>/<str:action>/", views.BatchMoveView.as_view(), name="batch-move"),
    path("lines/<int:pk>/close/", views.LineCloseView.as_view(), name="line-close"),
    path("<slug:source>/<int:source_id>/", views.SourcePaymentView.as_view(), name="source"),
    path("<slug:source>/<int:source_id>/prepare/", views.SourceActionView.as_view(action="prepare"), name="prepare"),
    path("<slug:source>/<int:source_id>/supplement/", views.SourceActionView.as_view(action="supplement"),
         name="supplement"),
    path("<slug:source>/<int:source_id>/reissue/", views.SourceActionView.as_view(action="reissue"), name="reissue"),
    path("<slug:source>/<int:source_id>/report/", views.ReportView.as_view(), name="report"),
]
