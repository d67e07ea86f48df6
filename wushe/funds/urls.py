from django.urls import path

from . import views

app_name = "funds"

urlpatterns = [
    path("", views.fund_list, name="fund_list"),
    path("<int:pk>/", views.fund_detail, name="fund_detail"),
    path("<int:pk>/statement.xlsx", views.fund_statement_export, name="fund_statement_export"),
    path("<int:pk>/donations/new/", views.donation_create, name="donation_create"),
    path("<int:pk>/disbursements/new/", views.disbursement_create, name="disbursement_create"),
    path("<int:pk>/notice/<str:period>/", views.notice, name="notice"),
    path("donations/<int:pk>/", views.donation_detail, name="donation_detail"),
    path("donations/<int:pk>/receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("disbursements/<int:pk>/", views.disbursement_detail, name="disbursement_detail"),
    path("disbursements/<int:pk>/approve/", views.disbursement_approve, name="disbursement_approve"),
    path("disbursements/<int:pk>/reject/", views.disbursement_reject, name="disbursement_reject"),
    path("disbursements/<int:pk>/pay/", views.disbursement_pay, name="disbursement_pay"),
    path("entries/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
]
