"""Writes, one module per concept: institutions (with staff and safety inspections), enrollments,
attendance, subsidy claims and the batch runs that compute them. Callers import the module they need."""
