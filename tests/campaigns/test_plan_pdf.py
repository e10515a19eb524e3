"""The official plan of the 2017 demo campaign as PDF: the strings the plan states, the Decree 30
layout (page numbers from page 2, one Times-metric font with every Vietnamese glyph), and
pictures of its pages.

Set ``PLAN_PNG_DIR=/some/dir`` to keep the PNG pictures of the pages and look at them.
"""

import io
import os
import shutil
import subprocess
import time
import unicodedata
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from campaigns.documents import plan_pdf
from campaigns.models import Campaign
from campaigns.selectors import PLAN
from tests.factories import make_member

pytestmark = pytest.mark.django_db

EXPECTED = [
    "TỔNG LĐLĐ VIỆT NAM",
    "LIÊN ĐOÀN LAO ĐỘNG TỈNH NINH BÌNH",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 13/KH-LĐLĐ",
    "Ninh Bình, ngày 23 tháng 02 năm 2017",
    "KẾ HOẠCH",
    "Phát động phong trào thi đua yêu nước trong CNVCLĐ chào mừng các ngày lễ lớn của đất nước "
    "năm 2017; chào mừng Đại hội Công đoàn các cấp tiến tới Đại hội lần thứ XV Công đoàn Ninh "
    "Bình và Đại hội lần thứ XII Công đoàn Việt Nam",
    "Thực hiện Kế hoạch số 02/KH-TLĐ ngày 10/02/2017 của Đoàn Chủ tịch Tổng LĐLĐ Việt Nam",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "II. NỘI DUNG THI ĐUA",
    "III. TỔ CHỨC THỰC HIỆN",
    "1. Tiếp tục đẩy mạnh phong trào thi đua Lao động giỏi, Lao động sáng tạo",
    "5. Năm 2017, “Năm vì lợi ích của đoàn viên”",
    "4. Phong trào thi đua năm 2017 được tổ chức thành hai đợt như sau:",
    "Đợt 1: Từ đầu năm đến 31/08/2017: Thi đua lập thành tích chào mừng",
    "kỷ niệm 87 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 - 03/02/2017)",
    "kỷ niệm 25 năm tái lập tỉnh Ninh Bình (01/04/1992 - 01/04/2017)",
    "kỷ niệm 42 năm ngày Giải phóng hoàn toàn miền Nam, thống nhất đất nước "
    "(30/04/1975 - 30/04/2017)",
    "tổ chức các hoạt động Tháng Công nhân và kỷ niệm ngày Quốc tế Lao động 1/5",
    "kỷ niệm 127 năm ngày sinh Chủ tịch Hồ Chí Minh (19/05/1890 - 19/05/2017)",
    "kỷ niệm 69 năm ngày Truyền thống Thi đua yêu nước (11/06/1948 - 11/06/2017)",
    "kỷ niệm 88 năm Ngày thành lập Công đoàn Việt Nam (28/07/1929 - 28/07/2017)",
    "Đợt 2: Từ 01/09/2017 đến 31/12/2017: Tổ chức các hoạt động",
    "kỷ niệm 72 năm Cách mạng tháng Tám và Quốc khánh nước Cộng hòa XHCN Việt Nam "
    "(02/09/1945 - 02/09/2017), nỗ lực phấn đấu hoàn thành vượt mức kế hoạch kinh tế - xã hội "
    "năm 2017.",
    "Sau mỗi đợt thi đua, các cấp Công đoàn tổ chức sơ kết",
    "(qua Ban Chính sách - Pháp luật)",
    "Nơi nhận:",
    "- Ban Dân vận Tỉnh ủy (để b/cáo);",
    "- Lưu: VT, Ban CSPL.",
    "TM. BAN THƯỜNG VỤ",
    "PHÓ CHỦ TỊCH",
    "Lê Đình Việt",
]


def normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture
def demo_plan(demo_seeded, world_free_db):
    """The 2017 plan of the demo, seeded once for this module."""
    return Campaign.objects.get(year=2017)


@pytest.fixture
def world_free_db(db):
    """The demo data brings its own tree (Ninh Bình), so no ``world`` here."""


def test_the_2017_plan_pdf_states_the_plan(demo_plan, client, tmp_path):
    from federation.models import Organization, Role

    officer = make_member(Organization.objects.get(code="NB-HL-01"), Role.OFFICER, "reader")
    client.force_login(officer)  # a grassroots officer of the province reads the plan
    response = client.get(reverse("campaigns:plan-pdf", args=[demo_plan.pk]))
    assert response.status_code == 200
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(response.content)

    # The text as pdftotext reads it, with lines joined.
    text = normal(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, check=True
        ).stdout.decode()
    )
    missing = [s for s in EXPECTED if normal(s) not in text]
    assert not missing, missing
    for theme in demo_plan.themes.all():
        assert normal(theme.text) in text

    # And as pypdf reads it, page by page.
    reader = PdfReader(io.BytesIO(response.content))
    pages = [normal(page.extract_text()) for page in reader.pages]
    assert len(pages) >= 3
    assert "Số: 13/KH-LĐLĐ" in pages[0]
    assert "Lê Đình Việt" in pages[-1]
    # The page number stands alone on the first line, from page 2 on (top centre).
    for number in range(1, len(pages) + 1):
        layout = subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True,
            check=True,
        ).stdout.decode()
        first_line = next(line.strip() for line in layout.splitlines() if line.strip())
        if number == 1:
            assert first_line.startswith("TỔNG LĐLĐ VIỆT NAM"), first_line
        else:
            assert first_line == str(number), first_line

    # A4, and one font family, Liberation Serif, whose version 2 has Ơ, Ư and stacked tones.
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts and all(f.startswith("Liberation-Serif") for f in fonts), fonts
    assert {"Liberation-Serif", "Liberation-Serif-Bold", "Liberation-Serif-Italic"} <= fonts


def test_the_plan_renders_to_pictures_quickly(demo_plan, tmp_path):
    campaign = Campaign.objects.prefetch_related(*PLAN).get(pk=demo_plan.pk)
    plan_pdf(campaign)  # the first rendering loads the fonts
    started = time.perf_counter()
    pdf_bytes = plan_pdf(Campaign.objects.prefetch_related(*PLAN).get(pk=demo_plan.pk))
    elapsed = time.perf_counter() - started
    assert elapsed < 3, f"the 2017 plan took {elapsed:.2f} s (target: under 1 s)"
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(pdf_bytes)
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(tmp_path / "page")], check=True)
    pictures = sorted(tmp_path.glob("page-*.png"))
    assert len(pictures) == len(PdfReader(str(pdf)).pages)
    for picture in pictures:
        header = picture.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(header[16:20], "big")
        height = int.from_bytes(header[20:24], "big")
        assert (width, height) == (662, 936)  # A4 at 80 dpi
    keep = os.environ.get("PLAN_PNG_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for picture in pictures:
            shutil.copy(picture, Path(keep) / f"plan-2017-{picture.name}")
