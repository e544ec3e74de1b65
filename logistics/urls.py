from django.urls import path

from logistics import views

app_name = "logistics"
urlpatterns = [
    path("problems/", views.problems, name="problems"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("plan/", views.plan, name="plan"),
    path("catalogue/<int:pk>/", views.item_edit, name="item_edit"),
    path("import/", views.manifest_import, name="import"),
    path("import/template.<str:fmt>", views.manifest_template, name="template"),
    path("nodes/<int:pk>/", views.node_detail, name="node"),
    path("nodes/<int:pk>/route/", views.route_edit, name="route"),
    path("nodes/<int:pk>/stock/", views.stock, name="stock"),
    path("nodes/<int:node_pk>/ship/", views.shipment_create, name="shipment_create"),
    path("nodes/<int:pk>/send-back/", views.send_back, name="send_back"),
    path("shipments/<int:pk>/", views.shipment_detail, name="shipment"),
    path("shipments/<int:pk>/photo/", views.receipt_photo, name="receipt_photo"),
    path("shipments/<int:pk>/escort/", views.escort_record, name="escort"),
    path("shipments/<int:pk>/supervision/", views.supervision_record, name="supervision"),
    path("shipments/<int:pk>/field-report/", views.field_report, name="field_report"),
    path("shipments/<int:pk>/berita-acara/", views.handover, name="handover"),
    path("packages/<str:code>/", views.packages, name="packages"),
    path("shipments/<int:pk>/<str:verb>/", views.shipment_action, name="shipment_action"),
    path("<str:code>/", views.region_progress, name="region"),
    path("<str:code>/areas.geojson", views.areas_geojson, name="areas"),
    path("<str:code>/risk.geojson", views.risk_points, name="risk_points"),
]
