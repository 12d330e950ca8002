from django.urls import path

from haven.people import views

app_name = "people"
urlpatterns = [
    path("matches/", views.review_queue, name="review"),
    path("matches/<int:pk>/", views.decide, name="decide"),
    path("matches/registry-search/", views.registry_search, name="registry-search"),
    path(
        "matches/registry-search/progress/",
        views.registry_search_progress,
        name="registry-search-progress",
    ),
    path("merges/<int:pk>/undo/", views.undo, name="undo"),
]
