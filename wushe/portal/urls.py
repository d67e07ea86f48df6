from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("submissions/", views.submission_list, name="submission_list"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/accept/", views.submission_accept, name="submission_accept"),
    path("submissions/<int:pk>/reject/", views.submission_reject, name="submission_reject"),
    path("ratings/visit/<int:pk>/", views.visit_ratings, name="visit_ratings"),
    path("ratings/service/<int:pk>/", views.service_ratings, name="service_ratings"),
]
