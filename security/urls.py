from django.urls import path

from security import views

app_name = "security"
urlpatterns = [
    path("region/<str:code>/", views.region, name="region"),
    path("region/<str:code>/deployment/", views.deployment, name="deployment"),
    path("region/<str:code>/areas.geojson", views.areas_geojson, name="areas"),
    path("region/<str:code>/points.geojson", views.points_geojson, name="points"),
    path("tps/<int:pk>/", views.tps_detail, name="tps"),
    path("tps/<int:pk>/assess/", views.assess, name="assess"),
    path("tps/<int:pk>/guard/", views.guard, name="guard"),
    path("assessments/import/", views.assessment_import, name="import"),
    path("assessments/template.<str:fmt>", views.assessment_template, name="template"),
    path("indicators/", views.indicators, name="indicators"),
    path("ikp/new/", views.ikp_new, name="ikp_new"),
    path("deployment/pool/", views.pool_edit, name="pool"),
    path("deployment/pattern/", views.pattern_edit, name="pattern"),
    path("situation/", views.situation, name="situation"),
    path("incidents/", views.incidents, name="incidents"),
    path("incidents/new/", views.incident_new, name="incident_new"),
    path("incidents/points.geojson", views.incident_points, name="incident_points"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident"),
    path("photos/<int:pk>/", views.incident_photo, name="photo"),
]
