from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import LogoutView
from django.urls import include, path, re_path
from two_factor.urls import urlpatterns as tf_urls

from sinergi.api import api, not_found

urlpatterns = [
    path("", include("core.urls")),
    path("", include(tf_urls)),
    path("account/logout/", LogoutView.as_view(), name="logout"),
    # Password change (signed in) and reset by e-mail, in the shell's own templates (templates/registration).
    path("account/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("account/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("account/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("account/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "account/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("regions/", include("regions.urls")),
    path("elections/", include("elections.urls")),
    path("agencies/", include("agencies.urls")),
    path("logistics/", include("logistics.urls")),
    path("meetings/", include("meetings.urls")),
    path("security/", include("security.urls")),
    path("violations/", include("violations.urls")),
    path("participation/", include("participation.urls")),
    path("budget/", include("budget.urls")),
    path("api/v1/", api.urls),
    # [\s\S], not ".": an address with a line break in it (%0A) is an API address too
    re_path(r"^api/(?P<rest>[\s\S]*)$", not_found, name="api-not-found"),
    path("admin/", admin.site.urls),
]
# Uploaded files (receipt photos) are never served from MEDIA_URL, not even under DEBUG: only through
# scoped views such as logistics:receipt_photo.

handler404 = "core.views.not_found"
handler500 = "core.views.server_error"
handler403 = "core.views.forbidden"
