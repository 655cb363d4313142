from django.contrib import admin
from django.urls import include, path

from articles import views as article_views

urlpatterns = [
    path("", article_views.home, name="home"),
    path("search/", article_views.search, name="search"),
    path("", include("articles.urls")),
    path("sources/", include("attributions.urls")),
    path("admin/", admin.site.urls),
]
