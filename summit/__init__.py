"""The virtual healing summit: registration, calendar invitations and reflections."""
