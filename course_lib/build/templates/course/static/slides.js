// Offline slides: → / space / PageDown next (fragments first), ← / PageUp back, Home, End, f full
// screen. The slide number is kept in the address (#3), and window.__slides tells the browser test.
(function () {
  const slides = Array.from(document.querySelectorAll(".slide"));
  const counter = document.querySelector(".slides-bar .counter");
  let index = 0;
  function fragments(i) { return Array.from(slides[i].querySelectorAll(".fragment")); }
  function show(i, revealAll) {
    index = Math.max(0, Math.min(slides.length - 1, i));
    slides.forEach(function (s, k) { s.classList.toggle("current", k === index); });
    fragments(index).forEach(function (f) { f.classList.toggle("shown", !!revealAll); });
    counter.textContent = (index + 1) + " / " + slides.length;
    if (location.hash !== "#" + (index + 1)) { history.replaceState(null, "", "#" + (index + 1)); }
    window.__slides = { index: index, count: slides.length };
  }
  function next() {
    const hidden = fragments(index).filter(function (f) { return !f.classList.contains("shown"); });
    if (hidden.length) { hidden[0].classList.add("shown"); } else if (index < slides.length - 1) { show(index + 1, false); }
  }
  function previous() {
    const shown = fragments(index).filter(function (f) { return f.classList.contains("shown"); });
    if (shown.length) { shown[shown.length - 1].classList.remove("shown"); } else if (index > 0) { show(index - 1, true); }
  }
  document.addEventListener("keydown", function (event) {
    if (event.target && /INPUT|SELECT|TEXTAREA/.test(event.target.tagName)) { return; }
    const key = event.key;
    if (key === "ArrowRight" || key === "ArrowDown" || key === "PageDown" || key === " ") { next(); }
    else if (key === "ArrowLeft" || key === "ArrowUp" || key === "PageUp") { previous(); }
    else if (key === "Home") { show(0, false); }
    else if (key === "End") { show(slides.length - 1, true); }
    else if (key === "f" && document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
    else { return; }
    event.preventDefault();
  });
  document.querySelector(".slides-bar .next").addEventListener("click", next);
  document.querySelector(".slides-bar .previous").addEventListener("click", previous);
  const start = parseInt((location.hash || "#1").slice(1), 10);
  show(isNaN(start) ? 0 : start - 1, false);
})();
