from django.urls import path

from violations import views

app_name = "violations"
urlpatterns = [
    path("region/<str:code>/", views.region, name="region"),
    path("public/<str:code>/", views.public, name="public"),
    path("cases/", views.cases, name="cases"),
    path("cases/new/", views.intake, name="new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("asn/", views.asn, name="asn"),
    path("calendar/", views.calendar, name="calendar"),
]
