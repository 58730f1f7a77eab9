// Small progressive enhancements; every page works without this file.
document.addEventListener("htmx:afterSwap", (event) => {
  // Put the keyboard where the new content is: a freshly issued token, else the first error.
  const target = event.detail.target;
  const focusable = target.querySelector("[data-testid=new-token], [aria-invalid=true]");
  if (focusable) {
    focusable.focus();
    if (focusable.select) focusable.select();
  }
});
