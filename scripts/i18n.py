#!/usr/bin/env python3
"""Translation catalogues, one per domain package.

    python scripts/i18n.py update DOMAIN   extract the domain's messages and merge them into its zh_CN catalogue
    python scripts/i18n.py compile         compile every catalogue (.po -> .mo)
    python scripts/i18n.py check           list missing or untranslated messages (exit 1 if any)

DOMAIN is `core` (disclosure/{core,accounts,web,public,staff}, the shared templates) or a package name
(`applications`, `publicity`, …: its package folder, templates/<name>/ and templates/emails/<name>/).
Message ids are English; the zh_CN catalogue must translate every one of them. The catalogues are merged at run
time, so a word that one package translates its own way is given a context, `pgettext("catalog", "Expired")`
(`lazy_pgettext` at module level; `pgettext(...)` in templates), or a more precise English id.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "disclosure"
CORE_PACKAGES = ("core", "accounts", "web", "public", "staff", "api")
CORE_FILES = ("__init__.py", "cli.py", "config.py", "demo.py", "extensions.py")
CORE_TEMPLATES = ("base.html", "macros", "public", "accounts", "admin", "staff", "errors", "emails/accounts", "api")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "pgettext": ((1, "c"), 2),
    "lazy_pgettext": ((1, "c"), 2),
}
JINJA_OPTS = {"extensions": "jinja2.ext.do", "trimmed": "false"}


def domains() -> list[str]:
    out = ["core"]
    out += sorted(p.parent.name for p in PKG.glob("*/translations") if p.parent.name not in CORE_PACKAGES)
    return out


def sources(domain: str) -> list[Path]:
    files: list[Path] = []
    if domain == "core":
        for name in CORE_PACKAGES:
            files += sorted((PKG / name).rglob("*.py"))
        files += [PKG / f for f in CORE_FILES if (PKG / f).exists()]
        for t in CORE_TEMPLATES:
            p = ROOT / "templates" / t
            files += [p] if p.is_file() else sorted(q for q in p.rglob("*") if q.suffix in {".html", ".txt"})
    else:
        files += sorted((PKG / domain).rglob("*.py"))
        for base in (ROOT / "templates" / domain, ROOT / "templates" / "emails" / domain):
            if base.is_dir():
                files += sorted(q for q in base.rglob("*") if q.suffix in {".html", ".txt"})
    return files


def catalogue_dir(domain: str) -> Path:
    return (PKG / "translations") if domain == "core" else (PKG / domain / "translations")


def extract(domain: str) -> Catalog:
    cat = Catalog(project="disclosure", locale=None)
    for path in sources(domain):
        method = "python" if path.suffix == ".py" else "jinja2"
        opts = {} if method == "python" else JINJA_OPTS
        for lineno, message, comments, context in extract_from_file(method, str(path), keywords=KEYWORDS, options=opts):
            cat.add(message, None, [(str(path.relative_to(ROOT)), lineno)], auto_comments=comments, context=context)
    return cat


def po_path(domain: str) -> Path:
    return catalogue_dir(domain) / "zh_CN" / "LC_MESSAGES" / "messages.po"


def load(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale="zh_CN")


def update(domain: str) -> None:
    template = extract(domain)
    path = po_path(domain)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        cat = load(path)
        cat.update(template, no_fuzzy_matching=True)
    else:
        cat = Catalog(locale="zh_CN", project="disclosure")
        cat.update(template, no_fuzzy_matching=True)
    with path.open("wb") as fh:
        write_po(fh, cat, width=120, omit_header=False, ignore_obsolete=True)
    print(f"{path.relative_to(ROOT)}: {len(cat)} messages")


def compile_all() -> None:
    """Babel parses the locale `zh_CN` as `zh_Hans_CN` and looks for that folder, so the compiled catalogue of
    `zh_CN/…/messages.po` is written to `zh_Hans_CN/…/messages.mo` (compiled files are not committed)."""
    for path in sorted(PKG.rglob("translations/*/LC_MESSAGES/messages.po")):
        cat = load(path)
        locale_dir = path.parents[1]
        target_locale = {"zh_CN": "zh_Hans_CN"}.get(locale_dir.name, locale_dir.name)
        target = locale_dir.parent / target_locale / "LC_MESSAGES" / "messages.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as fh:
            write_mo(fh, cat)


def problems() -> list[str]:
    out = []
    for domain in domains():
        path = po_path(domain)
        if not path.exists():
            out.append(f"{domain}: no zh_CN catalogue ({path.relative_to(ROOT)})")
            continue
        cat = load(path)
        known = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in cat if m.id}
        for m in extract(domain):
            key = (m.context, m.id if isinstance(m.id, str) else m.id[0])
            if m.id and key not in known:
                out.append(f"{domain}: not in the catalogue: {key[1]!r} ({m.locations[0][0]})")
        for m in cat:
            if not m.id:
                continue
            strings = m.string if isinstance(m.string, tuple | list) else (m.string,)
            if not all(strings) or m.fuzzy:
                out.append(f"{domain}: untranslated: {m.id if isinstance(m.id, str) else m.id[0]!r}")
    return out + conflicts()


def conflicts() -> list[str]:
    """The catalogues are merged into one at run time (the last one wins), so a message id translated two ways
    in two packages shows one package's word on the other's pages: give it a more specific English id or a context
    (`pgettext("<package>", …)`)."""
    seen: dict[tuple, dict[str, str]] = {}
    for domain in domains():
        path = po_path(domain)
        if not path.exists():
            continue
        for m in load(path):
            if m.id and m.string and not m.fuzzy:
                key = (m.context, m.id if isinstance(m.id, str) else m.id[0])
                seen.setdefault(key, {})[domain] = m.string if isinstance(m.string, str) else m.string[0]
    return [
        f"translated differently in {', '.join(sorted(by))}: {key[1]!r} ({' / '.join(sorted(set(by.values())))})"
        for key, by in seen.items()
        if len(set(by.values())) > 1
    ]


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    cmd = argv[1]
    if cmd == "update":
        for domain in argv[2:] or domains():
            update(domain)
    elif cmd == "compile":
        compile_all()
    elif cmd == "check":
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
