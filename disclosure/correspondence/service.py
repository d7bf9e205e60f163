"""The old module name, now the package's door (`disclosure.correspondence`; the module itself is `letters.py`).

Removed once applications/publicity import from the package door.
"""

import sys

from disclosure import correspondence

sys.modules[__name__] = correspondence
