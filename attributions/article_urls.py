"""Reader pages of articles and statements (the ``articles`` namespace)."""

from django.urls import path, re_path

from attributions import views

app_name = "articles"
urlpatterns = [
    path("articles/", views.article_list, name="list"),
    path("articles/<int:pk>/", views.article_detail, name="detail"),
    path("articles/<int:pk>/history/", views.article_history, name="history"),
    re_path(
        r"^articles/(?P<pk>[0-9]+)/statements\.(?P<format>csv|jsonl|jsonld)$",
        views.article_export,
        name="export",
    ),
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
]
