"""The supervision figures by area: each module here registers its measures in `measures.REGISTRY` when
imported (the door imports them all). One module per area: requests, proactive, consultations, publicity,
reports, columns, notices, appraisal. Beside them, `store.py` keeps each agency's figures per period between
requests and `watched.py` declares the tables they read, whose changes make a kept figure be counted again."""
