from django.urls import path

from core import demo_views, import_views, jobs_views, lockout_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_feed, name="audit"),
    path("audit/<int:pk>/", views.audit_entry, name="audit_entry"),
    path("healthz", views.healthz, name="healthz"),
    path("imports/<int:pk>/", import_views.import_run, name="import_run"),
    path("jobs/", jobs_views.job_list, name="jobs"),
    path("jobs/<int:pk>/retry", jobs_views.job_retry, name="job_retry"),
    path("jobs/<int:pk>/dismiss", jobs_views.job_dismiss, name="job_dismiss"),
    path("lockouts/", lockout_views.lockout_list, name="lockouts"),
    path("demo/moment", demo_views.set_moment, name="demo_moment"),
    path("lockouts/unlock", lockout_views.lockout_unlock, name="lockout_unlock"),
]
