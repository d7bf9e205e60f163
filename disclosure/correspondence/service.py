"""The old name of `disclosure.correspondence.letters`, kept as an alias of that very module (monkeypatching
either name patches both). Removed once applications/publicity import from the package door
(`disclosure.correspondence`)."""

import sys

from disclosure.correspondence import letters

sys.modules[__name__] = letters
