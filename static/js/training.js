// The rest timer: starts after a set is added (the server sends "restTimerStart" in HX-Trigger),
// counts down in an aria-live region, and can be skipped. The logger works without it.
(() => {
  let timer = null;
  let endsAt = 0;

  const region = () => document.getElementById("rest-timer");
  const format = (seconds) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;

  function stop() {
    clearInterval(timer);
    timer = null;
    const box = region();
    if (box) box.hidden = true;
  }

  function tick() {
    const box = region();
    if (!box) return stop();
    const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    const out = box.querySelector(".rest-remaining");
    // Announce only every 15 s and the last 5, so a screen reader is not flooded.
    const announce = left % 15 === 0 || left <= 5;
    out.setAttribute("aria-live", announce ? "polite" : "off");
    out.textContent = left === 0 ? "Rest over — next set" : format(left);
    if (left === 0) {
      clearInterval(timer);
      timer = null;
      if (navigator.vibrate) navigator.vibrate(200);
      setTimeout(() => { if (!timer) stop(); }, 4000);
    }
  }

  function start(seconds) {
    const box = region();
    if (!box || !seconds) return;
    endsAt = Date.now() + seconds * 1000;
    box.hidden = false;
    clearInterval(timer);
    timer = setInterval(tick, 1000);
    tick();
  }

  document.body.addEventListener("restTimerStart", (event) => {
    const seconds = Number((event.detail && event.detail.seconds) || (region() && region().dataset.default) || 90);
    start(seconds);
  });

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-rest-skip]")) stop();
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && timer) stop();
  });
})();
