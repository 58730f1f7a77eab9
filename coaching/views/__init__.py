"""Pages of coaching, one module per area; each module ends with its `urlpatterns`."""
