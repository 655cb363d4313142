from django.urls import path, re_path

from attributions import views

app_name = "attributions"
urlpatterns = [
    path("", views.source_list, name="list"),
    path("<slug:slug>/", views.source_detail, name="source"),
    re_path(
        r"^(?P<slug>[-\w]+)/statements\.(?P<format>csv|jsonl|jsonld)$", views.source_export, name="export"
    ),
]
