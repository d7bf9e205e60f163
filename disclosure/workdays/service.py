"""The old name of `disclosure.workdays.calendar`, kept as an alias of that very module (monkeypatching either
name patches both). Removed once applications/publicity import from the package door (`disclosure.workdays`)."""

import sys

from disclosure.workdays import calendar

sys.modules[__name__] = calendar
