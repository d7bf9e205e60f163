"""The application never asks the server for its local date or time: a statutory day is a day in Beijing
(`core.timeutil.today_china`), and a server on UTC is a day behind it from 16:00 to 24:00 UTC — a legality review
dated today was refused as "in the future", an Art. 26 clock restarted on yesterday. Timestamps are taken with
`utcnow()`; dates with `today_china()`."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCAL_CLOCK = re.compile(r"\bdate\.today\(\)|\bdatetime\.now\(\s*\)|\bdatetime\.today\(\)|\btime\.localtime\(")


def test_no_code_reads_the_servers_local_date():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "disclosure").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if LOCAL_CLOCK.search(line)
    ]
    assert not found, "use today_china() or utcnow():\n" + "\n".join(found)
