from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
]

# the dashboard and its drill-down, the work report (included under /reports/ as "reports:")
reports_patterns = [
    path("", views.dashboard, name="dashboard"),
    path("screen/", views.screen, name="screen"),
    path("drill/<str:key>/", views.drill, name="drill"),
    path("drill/<str:key>/export.xlsx", views.drill_export, name="drill_export"),
    path("work-report/", views.work_report_page, name="work_report"),
    path("work-report.docx", views.work_report_docx, name="work_report_docx"),
]
