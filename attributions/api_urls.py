"""The read-only JSON API, its OpenAPI schema and its browsable docs (all served locally)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from attributions import api

router = DefaultRouter()
router.register("sources", api.SourceViewSet, basename="source")
router.register("articles", api.ArticleViewSet, basename="article")
router.register("statements", api.StatementViewSet, basename="statement")
router.register("cross-references", api.CrossReferenceViewSet, basename="cross-reference")

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script for the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
