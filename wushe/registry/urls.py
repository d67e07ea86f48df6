from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("persons/", views.person_list, name="person_list"),
    path("persons/export.xlsx", views.person_export, name="person_export"),
    path("persons/search/", views.person_search, name="person_search"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("persons/<int:pk>/deregister/", views.person_deregister, name="person_deregister"),
    path("persons/<int:pk>/move/", views.person_move, name="person_move"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/export.xlsx", views.ledger_export, name="ledger_export"),
]
