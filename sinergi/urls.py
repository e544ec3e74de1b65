from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path, re_path
from two_factor.urls import urlpatterns as tf_urls

from sinergi.api import api, not_found

urlpatterns = [
    path("", include("core.urls")),
    path("", include(tf_urls)),
    path("account/logout/", LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("regions/", include("regions.urls")),
    path("elections/", include("elections.urls")),
    path("agencies/", include("agencies.urls")),
    path("logistics/", include("logistics.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", not_found, name="api-not-found"),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "core.views.not_found"
handler500 = "core.views.server_error"
handler403 = "core.views.forbidden"
