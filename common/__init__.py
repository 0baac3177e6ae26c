"""Small pieces shared by every app (forms, exports): depends on Django only."""
