"""The pages: a worker records a donation and prints its receipt; request → votes → payment by
another user; the statement export; the 公示 (staff, public, PDF) shows no phone, ID or health."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from typing import Any

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from tests.factories import PersonFactory
from tests.fixtures import login
from wushe.core.checks import today
from wushe.funds.models import Disbursement, DisbursementStatus, Donation
from wushe.funds.periods import current_quarter
from wushe.registry.services import household_create

PHONE = re.compile(r"1[3-9]\d{9}")
ID = re.compile(r"\d{17}[\dXx]|\d{15}")
HEALTH = ("精神", "残疾", "病", "智力", "肢体", "诊断", "住院", "残疾人证")


def _donate(fw: Any) -> Donation:
    c = login(fw.staff)
    r = c.post(
        f"/funds/{fw.fund.pk}/donations/new/",
        {
            "donor_kind": "outsider",
            "donor_name": "赵六",
            "display": "masked",
            "amount": "8000.00",
            "donated_on": today().isoformat(),
            "channel": "bank",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    donation = Donation.objects.get()
    page = c.get(r["Location"])
    assert donation.receipt.number in page.content.decode()
    pdf = c.get(f"/funds/donations/{donation.pk}/receipt.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    return donation


def _paid(fw: Any, tree: Any) -> Disbursement:
    head = PersonFactory(name="祝长连", region=tree.grid_a, phone="13812345678", category=6, level=2)
    hh = household_create(acting_user=None, head=head)
    c = login(fw.staff)
    r = c.post(
        f"/funds/{fw.fund.pk}/disbursements/new/",
        {"amount": "3000.00", "purpose": "精神病住院治疗 13812345678", "household": hh.pk},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    d = Disbursement.objects.get()
    for m in fw.members[1:4]:
        assert login(m).post(f"/funds/disbursements/{d.pk}/approve/").status_code == 302
    r = login(fw.payer).post(
        f"/funds/disbursements/{d.pk}/pay/",
        {"method": "银行转账", "voucher_number": "PZ001", "paid_on": today().isoformat()},
    )
    d.refresh_from_db()
    assert d.status == DisbursementStatus.PAID
    return d


def _clean(text: str) -> None:
    assert not PHONE.search(text), PHONE.search(text)
    assert not ID.search(text), ID.search(text)
    for word in HEALTH:
        assert word not in text, word
    assert "祝长连" not in text


def test_whole_way_and_the_notice_shows_nothing_private(fw: Any, tree: Any) -> None:
    _donate(fw)
    _paid(fw, tree)
    staff = login(fw.staff)
    page = staff.get(f"/funds/{fw.fund.pk}/").content.decode()
    assert "5000.00" in page
    # each entry's kind and restriction in words, never the stored code
    assert "捐赠收入" in page and "支出" in page and "非定向" in page
    assert ">donation<" not in page and ">disbursement<" not in page
    export = staff.get(f"/funds/{fw.fund.pk}/statement.xlsx")
    assert export.status_code == 200
    content = export.getvalue()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    kinds = {str(r[1]) for r in rows[2:]}
    assert {"捐赠收入", "支出"} <= kinds and not kinds & {"donation", "disbursement"}, rows
    period = current_quarter(today())
    notice = staff.get(f"/funds/{fw.fund.pk}/notice/{period}/").content.decode()
    assert "赵*" in notice and "祝**户" in notice
    body = notice.split('<article class="notice"')[1].split("</article>")[0]
    _clean(body)
    public = Client().get(f"/public/funds/{fw.fund.public_token}/{period}/")
    assert public.status_code == 200
    text = public.content.decode()
    _clean(text)
    assert "5000.00" in text
    assert Client().get(f"/public/funds/{'x' * 32}/{period}/").status_code == 404
    assert Client().get(f"/funds/{fw.fund.pk}/").status_code == 302  # the staff page needs a login
    pdf = Client().get(f"/public/funds/{fw.fund.public_token}/{period}/notice.pdf")
    assert pdf.status_code == 200
    pdftotext = shutil.which("pdftotext")  # poppler-utils, installed by make system
    assert pdftotext, "pdftotext is needed to read the notice's PDF"
    out = subprocess.run(  # noqa: S603 — poppler's pdftotext on the PDF just made
        [pdftotext, "-", "-"], input=pdf.content, capture_output=True, check=True
    )
    pdf_text = out.stdout.decode()
    assert "公示" in pdf_text
    _clean(pdf_text)


def test_other_community_sees_no_fund(fw: Any) -> None:
    assert login(fw.staff_b).get(f"/funds/{fw.fund.pk}/").status_code == 404
    assert fw.fund.name not in login(fw.staff_b).get("/funds/").content.decode()


@pytest.mark.parametrize("period", ["2025-13", "2025Q5", "project-999", "abc"])
def test_unknown_period_is_404(fw: Any, period: str) -> None:
    assert Client().get(f"/public/funds/{fw.fund.public_token}/{period}/").status_code == 404
