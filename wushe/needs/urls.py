from django.urls import path

from . import edit_views, views

app_name = "needs"
urlpatterns = [
    path("", views.need_list, name="need_list"),
    path("export.xlsx", views.need_export, name="need_export"),
    path("new/", views.need_create, name="need_create"),
    path("<int:pk>/", views.need_detail, name="need_detail"),
    path("<int:pk>/edit/", edit_views.need_edit, name="need_edit"),
    path("<int:pk>/step/", views.need_step, name="need_step"),
    path("<int:pk>/accept/", views.need_accept, name="need_accept"),
    path("<int:pk>/rate/", views.need_rate, name="need_rate"),
    path("<int:pk>/refer/", views.need_refer, name="need_refer"),
    path("<int:pk>/contact/", views.need_contact, name="need_contact"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/<int:pk>/accept/", views.referral_accept, name="referral_accept"),
    path("referrals/<int:pk>/return/", views.referral_return, name="referral_return"),
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/export.xlsx", views.problem_export, name="problem_export"),
    path("problems/<int:pk>/resolve/", views.problem_resolve, name="problem_resolve"),
]
