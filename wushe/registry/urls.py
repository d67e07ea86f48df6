from django.urls import path

from . import household_views, ledger_views, views

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
    path("persons/<int:pk>/household/", household_views.person_household, name="person_household"),
    path("households/", household_views.household_list, name="household_list"),
    path("households/export.xlsx", household_views.household_export, name="household_export"),
    path("households/new/", household_views.household_create, name="household_create"),
    path("households/<int:pk>/", household_views.household_detail, name="household_detail"),
    path("households/<int:pk>/members/", household_views.household_members, name="household_members"),
    path(
        "households/<int:pk>/members/add/", household_views.household_member_add, name="household_member_add"
    ),
    path("households/<int:pk>/head/", household_views.household_head, name="household_head"),
    path("households/<int:pk>/relation/", household_views.household_relation, name="household_relation"),
    path("households/<int:pk>/leave/", household_views.household_leave, name="household_leave"),
    path("households/<int:pk>/move/", household_views.household_move, name="household_move"),
    path("households/<int:pk>/tags/", household_views.household_tags_edit, name="household_tags"),
    path("ledger/", ledger_views.ledger, name="ledger"),
    path("ledger/export.xlsx", ledger_views.ledger_export, name="ledger_export"),
]
