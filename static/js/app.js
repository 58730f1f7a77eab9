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

// What an htmx action did, said in the page's one lasting live region (#announcer in base.html). A view sends
// it as the "announce" event in HX-Trigger: {"announce": {"message": "Added Bananas, raw to lunch"}}. The region
// is emptied first so the same words said twice are announced twice.
document.addEventListener("announce", (event) => {
  const region = document.getElementById("announcer");
  const message = event.detail && (event.detail.message || event.detail.value);
  if (!region || !message) return;
  region.textContent = "";
  setTimeout(() => {
    region.textContent = message;
  }, 50);
});

// A failed htmx request (other than a form error, which is swapped in) gets a visible message.
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr ? event.detail.xhr.status : 0;
  const text =
    status === 404
      ? "That item no longer exists. Reload the page to see what is current."
      : status === 429
        ? "Too many requests. Wait a moment and try again."
        : status === 403
          ? "You are not allowed to do that. Your session may have ended: reload the page."
          : "Something went wrong. Reload the page and try again.";
  let region = document.querySelector("main .messages");
  if (!region) {
    region = document.createElement("div");
    region.className = "messages";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    document.querySelector("main").prepend(region);
  }
  const message = document.createElement("p");
  message.className = "message error";
  message.textContent = text;
  region.replaceChildren(message);
});

// A time-zone picker the person has not set yet (data-detect-timezone) starts at the browser's zone, when
// it is one of the choices; the person can still pick another before saving.
function detectTimezones(root) {
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  root.querySelectorAll("select[data-detect-timezone]").forEach((select) => {
    const option = Array.from(select.options).find((o) => o.value === zone);
    if (option && !select.dataset.detected) {
      select.value = zone;
      select.dataset.detected = zone;
    }
  });
}
document.addEventListener("DOMContentLoaded", () => detectTimezones(document));
document.addEventListener("htmx:afterSettle", (event) => detectTimezones(event.detail.target || document));
