"""Roles (DOMAIN.md's table) and what each may do beyond seeing its scope.

Scope — which records — comes from the region a role is granted on (``core.scoping``).
Capability — what may be done with them — is the permission set below, checked with Django's
``user.has_perm`` through :class:`wushe.accounts.backends.RoleBackend`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.config import CONFIGURE


class Role(models.TextChoices):
    STREET_ADMIN = "street_admin", _("街道管理员")
    COMMUNITY_STAFF = "community_staff", _("社区工作人员")
    SOCIAL_WORKER = "social_worker", _("社工")
    ORG_STAFF = "org_staff", _("社会组织人员")
    TEAM_LEADER = "team_leader", _("志愿服务队队长")
    STUDIO = "studio", _("代表委员工作室")
    LEADER = "leader", _("领导（只读）")
    # the new areas (issues 17 and 19): charity funds and the disability subsidies
    FUND_COMMITTEE = "fund_committee", _("慈善基金管委会成员")
    COUNTY_CDPF_REVIEWER = "county_cdpf_reviewer", _("县残联审核")
    COUNTY_MCA_APPROVER = "county_mca_approver", _("县民政审定")
    PAYER = "payer", _("发放/出纳")


# Roles whose grant on a region opens the records of that region's subtree. The others see only
# what is referred or assigned to them (their organization, team or studio), never a region's
# registry as a whole.
# The county reviewers are granted on a county and read its subtree (the applicants' records and
# certificates); the payer on the county or street whose rosters and fund payments it pays.
REGION_ROLES = frozenset(
    {
        Role.STREET_ADMIN,
        Role.COMMUNITY_STAFF,
        Role.SOCIAL_WORKER,
        Role.LEADER,
        Role.COUNTY_CDPF_REVIEWER,
        Role.COUNTY_MCA_APPROVER,
        Role.PAYER,
    }
)
# Roles granted on an organization (``RoleGrant.organization``): a social organization, a
# volunteer team or a studio, each a ``partners.Organization``.
ORGANIZATION_ROLES = frozenset({Role.ORG_STAFF, Role.TEAM_LEADER, Role.STUDIO})
# Roles granted on a region that open none of its records: a fund committee member (often a
# resident, a donor's or an enterprise's representative) is granted on the fund's community or
# street, and the funds app's committee (fund ↔ member) says which funds; what it sees is the
# funds' own pages, never the registry.
ANCHORED_ROLES = frozenset({Role.FUND_COMMITTEE})

MANAGE_PERSONS = "registry.manage_person"
REVEAL_IDENTIFIERS = "registry.reveal_identifiers"
EXPORT_LEDGER = "registry.export_ledger"
VIEW_AUDIT = "core.view_accessevent"
# CONFIGURE (the settings pages: tags, categories, calendar, step limits) is core.config.CONFIGURE
MANAGE_USERS = "accounts.manage_users"  # users and role grants inside one's own scope
RECORD_OUTREACH = "needs.record_outreach"  # visits, needs, problems, accepting a match
WORK_NEEDS = "needs.work_need"  # move a need on (an organization works what is referred to it)
MANAGE_LISTS = "partners.manage_lists"  # resources and projects
# Service work (issue 6): record cases, groups and activities; handle residents' requests;
# log volunteers' hours. Which records is the scope's business; these say who may write at all.
RECORD_SERVICES = "casework.record_service"
HANDLE_APPEALS = "appeals.handle_appeal"
SUPERVISE_APPEALS = "appeals.supervise_appeal"  # 督办 an overdue request: the street's supervisors
LOG_VOLUNTEER_HOURS = "volunteers.log_hours"
_SERVICE_WORK = frozenset({RECORD_SERVICES, HANDLE_APPEALS, LOG_VOLUNTEER_HOURS})
# The new areas (issue 15 item 6; used when the funds and subsidies apps land):
APPROVE_DISBURSEMENT = "funds.approve_disbursement"  # a committee member's vote on a disbursement
PAY_DISBURSEMENT = "funds.pay_disbursement"  # paying an approved disbursement (not its approver)
REVIEW_SUBSIDY_COUNTY = "subsidies.review_county"  # 县残联审核 of a subsidy application
APPROVE_SUBSIDY_COUNTY = "subsidies.approve_county"  # 县民政审定 of an application and a roster
PAY_SUBSIDY = "subsidies.pay"  # the monthly roster's payment export
REVEAL_BANK_ACCOUNT = "subsidies.reveal_bank_account"  # the full account number: the payer only

# What a role may *open* (issue 16): the list pages and the menu items that lead to them. A page
# requires one of these (``core.permissions.page_permission``; a ``ListPage``'s ``permission``) and
# the menu shows an item exactly when the page's own check passes (``core.nav``): one source of
# truth. Scope still decides which records; these say whose work a page is at all, so an
# organization's staff member is not sent to a registry it can never see anything of.
READ_REGISTRY = "registry.read_registry"  # the residents, the four-colour ledger
READ_FIGURES = "reports.read_figures"  # the dashboard, the large screen, drill-downs, work report
READ_VISITS = "visits.read_visits"  # visits and the not-visited list
READ_NEEDS = "needs.read_needs"  # the need list (an organization: what is referred to it)
READ_LISTS = "partners.read_lists"  # organizations, resources, responsibility units
READ_PROJECTS = "projects.read_projects"  # projects (an organization or a studio: its own)
READ_CASES = "casework.read_cases"  # cases and groups (an organization: those it runs)
READ_ACTIVITIES = "casework.read_activities"  # activities (an organizer: its own)
READ_APPEALS = "appeals.read_appeals"  # residents' requests
READ_STUDIOS = "appeals.read_studios"  # the studios
READ_VOLUNTEERS = "volunteers.read_volunteers"  # volunteers and teams
READ_FUNDS = "funds.read_funds"  # charity funds (a committee member: the funds it sits on)
# a region role reads every area of its region
READ_REGION_AREAS = frozenset(
    {
        READ_REGISTRY,
        READ_FIGURES,
        READ_VISITS,
        READ_NEEDS,
        READ_LISTS,
        READ_PROJECTS,
        READ_CASES,
        READ_ACTIVITIES,
        READ_APPEALS,
        READ_STUDIOS,
        READ_VOLUNTEERS,
        READ_FUNDS,
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.STREET_ADMIN: frozenset(
        {
            MANAGE_PERSONS,
            REVEAL_IDENTIFIERS,
            EXPORT_LEDGER,
            VIEW_AUDIT,
            CONFIGURE,
            MANAGE_USERS,
            RECORD_OUTREACH,
            WORK_NEEDS,
            MANAGE_LISTS,
            SUPERVISE_APPEALS,
        }
    )
    | _SERVICE_WORK
    | READ_REGION_AREAS,
    Role.COMMUNITY_STAFF: frozenset(
        {MANAGE_PERSONS, REVEAL_IDENTIFIERS, EXPORT_LEDGER, RECORD_OUTREACH, WORK_NEEDS, MANAGE_LISTS}
    )
    | _SERVICE_WORK
    | READ_REGION_AREAS,
    Role.SOCIAL_WORKER: frozenset(
        {MANAGE_PERSONS, REVEAL_IDENTIFIERS, EXPORT_LEDGER, RECORD_OUTREACH, WORK_NEEDS}
    )
    | _SERVICE_WORK
    | READ_REGION_AREAS,
    # an organization's staff: what is referred or assigned to it (needs, cases, requests …)
    Role.ORG_STAFF: frozenset({WORK_NEEDS, RECORD_SERVICES, HANDLE_APPEALS})
    | {READ_NEEDS, READ_LISTS, READ_PROJECTS, READ_CASES, READ_ACTIVITIES, READ_APPEALS},
    Role.TEAM_LEADER: frozenset({LOG_VOLUNTEER_HOURS, READ_VOLUNTEERS, READ_ACTIVITIES}),
    Role.STUDIO: frozenset({HANDLE_APPEALS, READ_APPEALS, READ_STUDIOS, READ_PROJECTS, READ_ACTIVITIES}),
    Role.LEADER: frozenset({EXPORT_LEDGER}) | READ_REGION_AREAS,
    Role.FUND_COMMITTEE: frozenset({APPROVE_DISBURSEMENT, READ_FUNDS}),
    Role.COUNTY_CDPF_REVIEWER: frozenset({REVIEW_SUBSIDY_COUNTY}) | READ_REGION_AREAS,
    Role.COUNTY_MCA_APPROVER: frozenset({APPROVE_SUBSIDY_COUNTY}) | READ_REGION_AREAS,
    Role.PAYER: frozenset({PAY_SUBSIDY, PAY_DISBURSEMENT, REVEAL_BANK_ACCOUNT}) | READ_REGION_AREAS,
}
