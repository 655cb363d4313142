from django.urls import path

from attributions import edit_views as views

app_name = "editing"
urlpatterns = [
    path("review/", views.review, name="review"),
    path("statements/<int:pk>/panel/", views.panel, name="panel"),
    path("statements/<int:pk>/source/", views.set_source, name="set_source"),
    path("statements/<int:pk>/via/", views.set_via, name="set_via"),
    path("statements/<int:pk>/own-claim/", views.own_claim, name="own_claim"),
    path("statements/<int:pk>/new-source/", views.create_source, name="create_source"),
    path("statements/<int:pk>/alias/", views.add_alias, name="add_alias"),
    path("statements/<int:pk>/note/", views.set_note, name="set_note"),
    path("statements/<int:pk>/link-search/", views.link_search, name="link_search"),
    path("statements/<int:pk>/links/", views.link, name="link"),
    path("links/<int:pk>/delete/", views.unlink, name="unlink"),
    path("attributions/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("attributions/<int:pk>/reject/", views.reject, name="reject"),
    path("sources/autocomplete/", views.autocomplete, name="autocomplete"),
]
