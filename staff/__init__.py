"""Clinic admins manage their own clinic: staff, invitations, patients' key
clinicians and the clinic's settings. Django's admin is for superusers only."""
