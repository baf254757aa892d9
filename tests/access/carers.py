"""Access-matrix rows for carer consent, invitations and what carers read."""

ROWS = []
