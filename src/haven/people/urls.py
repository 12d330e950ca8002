from django.urls import path

from haven.people import views

app_name = "people"
urlpatterns = [
    path("matches/", views.review_queue, name="review"),
    path("matches/<int:pk>/", views.decide, name="decide"),
    path("merges/<int:pk>/undo/", views.undo, name="undo"),
]
