from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/mapping/", views.job_mapping, name="job_mapping"),
    path("<int:pk>/commit/", views.job_commit, name="job_commit"),
    path("<int:pk>/abandon/", views.job_abandon, name="job_abandon"),
    path("<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("<int:pk>/errors.xlsx", views.job_errors, name="job_errors"),
]
