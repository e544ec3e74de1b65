from django.urls import path

from meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("draft/", views.meeting_draft, name="draft"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<int:pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/", views.action_inbox, name="actions"),
    path("actions/overdue/", views.action_overdue, name="overdue"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("readiness/", views.readiness, name="readiness"),
    path("readiness/new/", views.readiness_create, name="readiness_create"),
    path("readiness/<int:pk>/", views.readiness_item, name="readiness_item"),
    path("report/<str:code>/", views.report, name="report"),
    path("report/<str:code>/snapshot/", views.snapshot_create, name="snapshot_create"),
    path("snapshots/<int:pk>/", views.snapshot, name="snapshot"),
]
