from django.urls import path

from participation import views

app_name = "participation"
urlpatterns = [
    path("region/<str:code>/", views.region, name="region"),
    path("region/<str:code>/gap/", views.gap_export, name="gap_export"),
    path("region/<str:code>/areas/", views.areas, name="areas"),
    path("public/<str:code>/", views.public, name="public"),
    path("outreach/", views.outreach_list, name="outreach"),
    path("outreach/new/", views.outreach_new, name="outreach_new"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("turnout/new/", views.turnout_new, name="turnout"),
    path("manage/", views.manage, name="manage"),
    path("manage/history-template/", views.history_template, name="history_template"),
]
