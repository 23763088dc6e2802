"""Sample evidence files (佐证材料) for the demo assessments, made when the demo loads (no
binaries in the repository): photos drawn with Pillow, a one-page PDF from WeasyPrint and a
Word document from python-docx. Each file is made once and attached through `evidence_add`.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.files.base import ContentFile
from docx import Document
from docx.shared import Pt
from PIL import Image, ImageDraw, ImageFont

from greencommunity.assessments.models import Assessment
from greencommunity.assessments.services import evidence_add
from greencommunity.documents.pdf import html_to_pdf

# Noto Sans CJK as Debian, Ubuntu and Fedora install it (fonts-noto-cjk); the photos fall back
# to Pillow's own font and an ASCII caption without it.
CJK_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
)
SC_INDEX = 2  # Simplified Chinese in the Noto Sans CJK collection
PHOTO_SIZE = (1200, 800)


@dataclass(frozen=True)
class Sample:
    name: str
    content: bytes


def _font(size: int) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, bool]:
    """A font for the caption, and whether it draws Chinese."""
    for path in CJK_FONTS:
        if path.exists():
            return ImageFont.truetype(str(path), size, index=SC_INDEX), True
    return ImageFont.load_default(size), False


def photo(caption: str, ascii_caption: str, *, hue: int = 0) -> bytes:
    """A 1200 x 800 JPEG: a green-ish scene (sky, lawn, trees, a building, recycling bins)
    with a caption band."""
    width, height = PHOTO_SIZE
    image = Image.new("RGB", PHOTO_SIZE, (200, 228, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 480, width, height), fill=(96 + hue, 168, 88))  # lawn
    draw.rectangle((520, 220, 860, 500), fill=(232, 222, 200), outline=(150, 140, 120), width=4)
    for row in range(3):
        for col in range(4):
            x, y = 550 + col * 80, 250 + row * 80
            draw.rectangle((x, y, x + 45, y + 50), fill=(150, 190, 215))
    for x in (120, 300, 960, 1100):
        draw.rectangle((x - 12, 380, x + 12, 500), fill=(110, 80, 50))  # trunk
        draw.ellipse((x - 80, 230, x + 80, 400), fill=(40 + hue, 130, 60))  # crown
    bins = ((52, 120, 200), (40, 150, 80), (200, 60, 50), (120, 120, 120))
    for i, colour in enumerate(bins):  # recyclable, kitchen, hazardous, other waste
        x = 380 + i * 70
        draw.rounded_rectangle((x, 520, x + 56, 610), radius=6, fill=colour)
    draw.rectangle((0, height - 110, width, height), fill=(20, 70, 40))
    font, chinese = _font(44)
    draw.text((40, height - 85), caption if chinese else ascii_caption, font=font,
              fill=(255, 255, 255))  # fmt: skip
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


PDF_HTML = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
body { font-family: "Noto Sans CJK SC", sans-serif; font-size: 12pt; line-height: 1.7; }
h1 { font-size: 18pt; text-align: center; color: #1b5e20; }
table { width: 100%; border-collapse: collapse; }
td, th { border: 1px solid #777; padding: 4pt 6pt; }
</style></head><body>
<h1>垃圾分类宣传活动记录</h1>
<table>
<tr><th>时间</th><td>2024 年 6 月 5 日（世界环境日）上午</td></tr>
<tr><th>地点</th><td>西苑社区党群服务中心广场</td></tr>
<tr><th>参加人员</th><td>社区两委成员、网格员、志愿者及居民共 86 人</td></tr>
</table>
<p>活动围绕“垃圾分类就是新时尚”主题，志愿者现场讲解可回收物、厨余垃圾、有害垃圾和其他垃圾的\
分类方法，发放宣传手册 300 余份，组织居民开展分类投放游戏，并登记绿色家庭创建意向 42 户。</p>
<p>下一步，社区将在各小区投放点安排志愿者值守，每月开展一次分类知识进楼栋活动。</p>
</body></html>"""


def pdf() -> bytes:
    return html_to_pdf(PDF_HTML)


CONVENTION = (
    "节约用水用电，随手关灯关水，夏季空调温度不低于 26 摄氏度。",
    "坚持垃圾分类，按时按点投放，不乱扔乱放。",
    "绿色出行，优先步行、骑行和乘坐公共交通。",
    "爱护社区绿地和树木，不毁绿种菜，不占用公共空间。",
    "减少使用一次性用品，购物自带环保袋。",
    "文明饲养宠物，及时清理宠物粪便。",
)


def docx() -> bytes:
    document = Document()
    document.add_heading("社区绿色生活公约", level=1)
    intro = document.add_paragraph(
        "为建设绿色社区、共享美好家园，经居民代表会议讨论通过，制定本公约，请全体居民共同遵守。"
    )
    intro.runs[0].font.size = Pt(12)
    for number, item in enumerate(CONVENTION, start=1):
        document.add_paragraph(f"{number}. {item}")
    document.add_paragraph("西苑社区居民委员会")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@cache
def samples() -> tuple[Sample, ...]:
    """The sample files, made once per process."""
    return (
        Sample("垃圾分类投放点.jpg", photo("垃圾分类投放点", "Waste sorting point")),
        Sample("社区绿地.jpg", photo("社区绿地改造后", "Community green space", hue=30)),
        Sample("垃圾分类宣传活动记录.pdf", pdf()),
        Sample("社区绿色生活公约.docx", docx()),
        Sample("节能改造.jpg", photo("楼道节能灯改造", "Energy-saving lights", hue=15)),
    )


def attach_samples(assessment: Assessment, criterion_ids: Sequence[int]) -> int:
    """Attach the samples to the first criteria of `assessment` (one or two per criterion, in
    turn), as the operator's own command; returns how many files were attached."""
    files = samples()
    attached = 0
    for i, sample in enumerate(files):
        if not criterion_ids:
            break
        criterion_id = criterion_ids[(i // 2) % len(criterion_ids)]
        evidence_add(actor=None, assessment=assessment, criterion_id=criterion_id,
                     upload=ContentFile(sample.content, name=sample.name))  # fmt: skip
        attached += 1
    return attached
