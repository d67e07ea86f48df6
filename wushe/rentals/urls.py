from django.urls import path

from . import views

app_name = "rentals"

urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("utilization/", views.utilization, name="utilization"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/advance/", views.item_advance, name="item_advance"),
    path("orders/", views.rental_list, name="rental_list"),
    path("orders/<int:pk>/", views.rental_detail, name="rental_detail"),
    path("orders/<int:pk>/renew/", views.rental_renew, name="rental_renew"),
    path("orders/<int:pk>/return/", views.rental_return, name="rental_return"),
    path("new/<int:pk>/", views.rental_create, name="rental_create"),
]
