from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic.base import RedirectView

from attributions import views as reader_views
from project import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    # Browsers and tools ask for /favicon.ico whatever a page links: the one icon we have.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg"), permanent=True)),
    path("", reader_views.home, name="home"),
    path("search/", reader_views.search, name="search"),
    path("search/sources/", reader_views.source_suggestions, name="source_suggestions"),
    path("", include("attributions.article_urls")),
    path("sources/", include("attributions.urls")),
    path("edit/", include("attributions.edit_urls")),
    path("api/", include("attributions.api_urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
