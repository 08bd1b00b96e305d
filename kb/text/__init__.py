"""Pure text functions over a source's characters: no ORM, no Django models, testable alone."""
