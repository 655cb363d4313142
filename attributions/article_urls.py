"""Reader pages of articles and statements (the ``articles`` namespace)."""

from django.urls import path

from attributions import views

app_name = "articles"
urlpatterns = [
    path("articles/", views.article_list, name="list"),
    path("articles/<int:pk>/", views.article_detail, name="detail"),
    path("articles/<int:pk>/history/", views.article_history, name="history"),
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
]
