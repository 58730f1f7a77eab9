// Small progressive enhancements; every page works without this file.
document.addEventListener("htmx:afterSettle", (event) => {
  // Put the keyboard where the new content needs it: a freshly shown value, else the first error.
  // An outerHTML swap replaces the target, so look it up again by id.
  const id = event.detail.target && event.detail.target.id;
  const region = (id && document.getElementById(id)) || document;
  const focusable = region.querySelector("[data-focus-after-swap], [aria-invalid=true]");
  if (focusable) {
    focusable.focus();
    if (focusable.select) focusable.select();
  }
});
