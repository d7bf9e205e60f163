"""The old module name, now the package's door (`disclosure.workdays`; the module itself is `calendar.py`).

Removed once applications/publicity import from the package door.
"""

import sys

from disclosure import workdays

sys.modules[__name__] = workdays
