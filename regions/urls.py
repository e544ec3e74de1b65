from django.urls import path

from regions import views

app_name = "regions"
urlpatterns = [
    path("tps/", views.tps_list, name="tps_list"),
    path("tps/new/", views.tps_create, name="tps_create"),
    path("tps/import/", views.tps_import, name="tps_import"),
    path("tps/template.<str:fmt>", views.tps_template, name="tps_template"),
    path("tps/<int:pk>/", views.tps_detail, name="tps_detail"),
    path("tps/<int:pk>/edit/", views.tps_edit, name="tps_edit"),
    path("<str:code>/", views.region_detail, name="region"),
    path("<str:code>/areas.geojson", views.areas_geojson, name="areas"),
    path("<str:code>/tps.geojson", views.tps_geojson, name="tps_points"),
]
