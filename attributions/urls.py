from django.urls import path

from attributions import views

app_name = "attributions"
urlpatterns = [
    path("", views.source_list, name="list"),
    path("<slug:slug>/", views.source_detail, name="source"),
]
