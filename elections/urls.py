from django.urls import path

from elections import views

app_name = "elections"
urlpatterns = [
    path("", views.election_list, name="list"),
    path("<int:pk>/", views.election_detail, name="detail"),
]
