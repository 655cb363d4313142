from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from articles import views as article_views

urlpatterns = [
    path("", article_views.home, name="home"),
    path("search/", article_views.search, name="search"),
    path("", include("articles.urls")),
    path("sources/", include("attributions.urls")),
    path("edit/", include("attributions.edit_urls")),
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
