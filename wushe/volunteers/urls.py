from django.urls import path

from . import correction_views, views

app_name = "volunteers"
urlpatterns = [
    path("teams/", views.team_list, name="team_list"),
    path("teams/export.xlsx", views.team_export, name="team_export"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/verify/", views.team_verify_all, name="team_verify_all"),
    path("", views.volunteer_list, name="volunteer_list"),
    path("export.xlsx", views.volunteer_export, name="volunteer_export"),
    path("new/", views.volunteer_create, name="volunteer_create"),
    path("<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("<int:pk>/records/", views.record_log, name="record_log"),
    path("records/<int:pk>/verify/", views.record_verify, name="record_verify"),
    path("records/<int:pk>/correct/", correction_views.record_correct, name="record_correct"),
    path("<int:pk>/entries/", correction_views.entry_add, name="entry_add"),
    path("entries/<int:pk>/edit/", correction_views.entry_edit, name="entry_edit"),
    path("<int:pk>/proofs/", views.proof_issue, name="proof_issue"),
    path("proofs/<int:pk>/", views.proof_detail, name="proof_detail"),
]
