"""Small pieces shared by every app (forms, exports, uploads, charts, views): the lowest layer,
importing no app of ours."""
