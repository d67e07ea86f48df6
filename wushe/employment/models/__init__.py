"""Work and income: skills training (courses, enrolments, attendance per session, completion and
follow-ups at configured months), micro-factories (微工厂: investment with its source, workers
with their households, monthly output and pay), job fairs (enterprises with their 统一社会信用代码,
positions, applications, hires and their follow-up) and public-welfare posts (公益岗位:
recommendation, the provider's approval, placement, leaving, monthly confirmation).

The models live in one module per area; this package names them all, as ``employment.models``.
"""

from .common import _Made  # noqa: F401
from .factories import (  # noqa: F401
    FactoryMonth,
    Investment,
    InvestmentSource,
    MicroFactory,
    Worker,
    WorkerMonth,
)
from .fairs import (  # noqa: F401
    Application,
    ApplicationStatus,
    FairEnterprise,
    HireFollowUp,
    JobFair,
    Position,
)
from .posts import (  # noqa: F401
    PostConfirmation,
    Provider,
    Recommendation,
    RecommendationStatus,
    WelfarePost,
)
from .training import (  # noqa: F401
    WORKING,
    Attendance,
    Course,
    CourseKind,
    Enrolment,
    FlexibleKind,
    FollowUp,
    FollowUpPlan,
    Outcome,
    parse_months,
    validate_months,
)
