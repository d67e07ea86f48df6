from django.urls import path

from . import public_views

app_name = "funds_public"

urlpatterns = [
    path("<str:token>/<str:period>/", public_views.public_notice, name="notice"),
    path("<str:token>/<str:period>/notice.pdf", public_views.public_notice_pdf, name="notice_pdf"),
]
