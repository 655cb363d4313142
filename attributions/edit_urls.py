from django.urls import path

from attributions import edit_views as views

app_name = "editing"
# A write on a statement names the revision its form was drawn from ("r<revision>"): a stale
# form gets 409, and a key pressed on one statement cannot act on another.
WRITE = "statements/<int:pk>/r<int:revision>/"
urlpatterns = [
    path("review/", views.review, name="review"),
    path("statements/<int:pk>/panel/", views.panel, name="panel"),
    path(WRITE + "source/", views.set_source, name="set_source"),
    path(WRITE + "via/", views.set_via, name="set_via"),
    path(WRITE + "own-claim/", views.own_claim, name="own_claim"),
    path(WRITE + "needs-source/", views.needs_source, name="needs_source"),
    path(WRITE + "new-source/", views.create_source, name="create_source"),
    path(WRITE + "note/", views.set_note, name="set_note"),
    path(WRITE + "resize/", views.resize, name="resize"),
    path(WRITE + "split/", views.split, name="split"),
    path(WRITE + "merge/", views.merge, name="merge"),
    path(WRITE + "mark/", views.mark, name="mark"),
    path(WRITE + "place/", views.place, name="place"),
    path(WRITE + "revert/", views.revert, name="revert"),
    path("actions/<int:pk>/undo/", views.undo, name="undo"),
    path("activity/", views.activity, name="activity"),
    path(WRITE + "attributions/<int:attribution>/confirm/", views.confirm, name="confirm"),
    path(WRITE + "attributions/<int:attribution>/reject/", views.reject, name="reject"),
    path("statements/<int:pk>/alias/", views.add_alias, name="add_alias"),
    path("statements/<int:pk>/link-search/", views.link_search, name="link_search"),
    path("statements/<int:pk>/links/", views.link, name="link"),
    path("links/<int:pk>/delete/", views.unlink, name="unlink"),
    path("aliases/<int:pk>/delete/", views.remove_alias, name="remove_alias"),
    path("sources/autocomplete/", views.autocomplete, name="autocomplete"),
    path("articles/<int:pk>/selection/", views.selection, name="selection"),
    # Span changes name the article's spans revision the editor's page was drawn from.
    path("articles/<int:pk>/r<int:revision>/statements/", views.tag, name="tag"),
    path("articles/<int:pk>/text/", views.article_text, name="article_text"),
    path("articles/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("articles/<int:pk>/restore/", views.restore, name="restore"),
    path("articles/<int:pk>/presence/", views.presence_beat, name="presence"),
    path("articles/<int:pk>/bulk/", views.bulk, name="bulk"),
]
