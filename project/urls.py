from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from attributions import views as reader_views
from project import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
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
