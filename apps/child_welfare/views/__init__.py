"""Caseworker UI. Same services and selectors as the API; a case the user may not open is a 404.
overview.py (dashboard, lists, statistics, caseload, matching), cases.py (the case pages), care.py
(assessment, plan, visits, referrals), base.py (what they share). apps/child_welfare/urls.py names each."""
