from django.urls import path

from . import views

app_name = "care"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("gaps/", views.gaps, name="gaps"),
    path("new/<int:pk>/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/records/", views.record_create, name="record_create"),
    path("<int:pk>/trainings/", views.training_create, name="training_create"),
]
