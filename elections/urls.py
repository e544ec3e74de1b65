from django.urls import path

from elections import views

app_name = "elections"
urlpatterns = [
    path("", views.election_list, name="list"),
    path("new/", views.election_create, name="create"),
    path("<int:pk>/", views.election_detail, name="detail"),
    path("<int:pk>/edit/", views.election_edit, name="edit"),
    path("<int:pk>/contests/new/", views.contest_create, name="contest_create"),
    path("<int:pk>/stages/new/", views.stage_create, name="stage_create"),
    path("contests/<int:pk>/edit/", views.contest_edit, name="contest_edit"),
    path("contests/<int:pk>/pairs/new/", views.pair_create, name="pair_create"),
    path("pairs/<int:pk>/edit/", views.pair_edit, name="pair_edit"),
    path("stages/<int:pk>/edit/", views.stage_edit, name="stage_edit"),
]
