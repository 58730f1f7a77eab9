"""The platform hooks: how the apps talk upward without importing each other.

A lower app never imports a higher one (accounts <- training, nutrition <- coaching <- social), and this
package imports no app. Each hook is a small registry or signal that apps fill from their
AppConfig.ready() and that a lower app (or the project) reads:

- `reference`: loaders of reference data (`load_reference_data` runs them in order).
- `personal_data`: how each model holding personal data is exported and erased.
- `me`: sections other apps add to `/api/v1/me/`.
- `media`: who may download the uploaded files under each top folder.
- `roles`: the permissions each staff role needs, per app.
- `scoping`: which people a staff member may see (trainers' clients come from coaching).
- `changes`: "this person's data for these days changed" (the summaries listen).
"""
