"""Pages of accounts, one module per area; each module ends with its `urlpatterns`."""
