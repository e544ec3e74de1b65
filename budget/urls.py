from django.urls import path

from budget import views

app_name = "budget"
urlpatterns = [
    path("region/<str:code>/", views.region, name="region"),
    path("public/<str:code>/", views.public, name="public"),
    path("agreements/new/", views.new_agreement, name="new"),
    path("agreements/<int:pk>/", views.agreement, name="agreement"),
    path("agreements/<int:pk>/report/", views.report, name="report"),
    path("documents/<int:pk>/", views.document, name="document"),
]
