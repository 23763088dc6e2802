"""The interface is Simplified Chinese by default, English on request, and every string of the
Chinese catalogue is translated."""

import ast
import re
from pathlib import Path

from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[2] / "src" / "greencommunity" / "locale"
ZH_PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _unquote(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def _parse_block(block: str) -> dict:
    """One entry: msgctxt, msgid, msgid_plural, msgstr forms {index: text} and flags."""
    entry: dict = {"flags": set(), "msgstr": {}}
    fields: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif m := re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line):
            fields.append((m.group(1), [m.group(2)]))
        elif line.startswith('"') and fields:
            fields[-1][1].append(line)
    for key, lines in fields:
        value = _unquote(lines)
        if key.startswith("msgstr"):
            index = re.search(r"\[(\d+)\]", key)
            entry["msgstr"][int(index.group(1)) if index else 0] = value
        else:
            entry[key] = value
    return entry


def parse_po(path: Path) -> list[dict]:
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    return [e for e in map(_parse_block, blocks) if "msgid" in e]


def test_every_chinese_string_is_translated():
    entries = [e for e in parse_po(ZH_PO) if e["msgid"]]  # the header has an empty msgid
    assert len(entries) > 100
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values()) or not e["msgstr"]]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy (not compiled): {fuzzy}"


def test_placeholders_survive_translation():
    for e in parse_po(ZH_PO):
        if not e["msgid"]:
            continue
        wanted = set(re.findall(r"%\(\w+\)[sd]", e["msgid"]))
        for form in e["msgstr"].values():
            assert set(re.findall(r"%\(\w+\)[sd]", form)) == wanted, e["msgid"]


def test_compiled_catalogues_are_present():
    for lang in ["zh_Hans", "en"]:
        po = LOCALE / lang / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"run compilemessages for {lang}"


def test_pages_are_chinese_by_default_and_english_after_switching(client, db):
    login = reverse("access:login")

    body = client.get(login).content.decode()
    assert '<html lang="zh-hans"' in body
    assert "用户登录" in body and "绿色社区创建管理平台" in body

    response = client.post(reverse("set_language"), {"language": "en", "next": login})
    assert response.status_code == 302

    body = client.get(login).content.decode()
    assert '<html lang="en"' in body
    assert "User login" in body and "用户登录" not in body

    client.post(reverse("set_language"), {"language": "zh-hans", "next": login})
    assert "用户登录" in client.get(login).content.decode()


def test_compiled_catalogue_matches_the_po_file():
    # a .po edited without `compilemessages` would silently show stale text
    import gettext

    with (ZH_PO.with_suffix(".mo")).open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = []
    for e in parse_po(ZH_PO):
        if not e["msgid"] or "fuzzy" in e["flags"] or "msgid_plural" in e or "msgctxt" in e:
            continue
        if compiled.gettext(e["msgid"]) != e["msgstr"][0]:
            stale.append(e["msgid"])
    assert stale == [], "run `make messages` (compilemessages): stale .mo entries"


def test_an_english_browser_still_gets_chinese_until_the_user_switches(client, db):
    login = reverse("access:login")
    body = client.get(login, headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="zh-hans"' in body and "用户登录" in body
    client.post(reverse("set_language"), {"language": "en", "next": login})
    assert "User login" in client.get(login, headers={"accept-language": "zh-CN"}).content.decode()
