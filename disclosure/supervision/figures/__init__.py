"""The supervision figures by area: each module here registers its measures in `measures.REGISTRY` when
imported (the door imports them all). One module per area: requests, proactive, consultations, publicity,
reports, columns, notices, appraisal."""
