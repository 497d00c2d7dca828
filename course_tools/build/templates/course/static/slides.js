// Offline slides, operable by keyboard alone: → / Space / PageDown / ↓ next (fragments first), ← /
// PageUp / ↑ back, Home, End, f full screen. ↓ / ↑ / Space / PageDown / PageUp first scroll a slide
// taller than the screen, then move on. The slide number is kept in the address (#3), a live region
// tells screen readers which slide is shown, and window.__slides tells the browser test.
(function () {
  const slides = Array.from(document.querySelectorAll(".slide"));
  const counter = document.querySelector(".slides-bar .counter");
  const spoken = document.getElementById("slides-status");
  const say = window.__courseSay;  // course.js (loaded first): the words in the page's language
  let index = 0;
  function fragments(i) { return Array.from(slides[i].querySelectorAll(".fragment")); }
  function heading(slide) {
    const h = slide.querySelector("h1, h2, h3");
    return h ? h.textContent.replace(/¶$/, "").trim() : "";
  }
  function show(i, revealAll, moveFocus) {
    const before = index;
    index = Math.max(0, Math.min(slides.length - 1, i));
    slides.forEach(function (s, k) { s.classList.toggle("current", k === index); });
    fragments(index).forEach(function (f) { f.classList.toggle("shown", !!revealAll); });
    counter.textContent = (index + 1) + " / " + slides.length;
    const title = heading(slides[index]);
    spoken.textContent = say(title ? "slideTitled" : "slide", { number: index + 1, count: slides.length, title: title });
    if (location.hash !== "#" + (index + 1)) { history.replaceState(null, "", "#" + (index + 1)); }
    window.__slides = { index: index, count: slides.length };
    document.dispatchEvent(new Event("course:slide"));
    // Focus left on a slide no longer shown would fall back to the page: keep it on the new slide.
    const active = document.activeElement;
    if (moveFocus && before !== index && (!active || active === document.body || !slides[index].contains(active)) &&
        !(active && active.closest && active.closest(".slides-bar"))) {
      slides[index].focus({ preventScroll: true });
    }
  }
  function revealed(f) { return f.classList.contains("shown"); }
  function next() {
    const hidden = fragments(index).filter(function (f) { return !revealed(f); });
    if (hidden.length) {
      hidden[0].classList.add("shown");
      spoken.textContent = say("step", { number: fragments(index).length - hidden.length + 1, count: fragments(index).length });
    } else if (index < slides.length - 1) { show(index + 1, false, true); }
  }
  function previous() {
    const shown = fragments(index).filter(revealed);
    if (shown.length) { shown[shown.length - 1].classList.remove("shown"); } else if (index > 0) { show(index - 1, true, true); }
  }
  // Scroll the current slide by `amount` pixels if it can scroll that way; true when it did.
  function scrolled(amount) {
    const slide = slides[index];
    const room = amount > 0 ? slide.scrollHeight - slide.clientHeight - slide.scrollTop : slide.scrollTop;
    if (room <= 1) { return false; }
    slide.scrollBy({ top: amount > 0 ? Math.min(amount, room) : -Math.min(-amount, room) });
    return true;
  }
  function fullScreen() {
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
  }
  document.addEventListener("keydown", function (event) {
    const target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    // Keys typed into a control (a chart's slider or menu) or pressed on a button or link are theirs.
    if (target && /INPUT|SELECT|TEXTAREA/.test(target.tagName)) { return; }
    const key = event.key;
    if ((key === " " || key === "Enter") && target && target.closest && target.closest("a, button, summary")) { return; }
    const page = Math.max(40, slides[index].clientHeight * 0.85);
    if (key === "ArrowRight") { next(); }
    else if (key === "ArrowLeft") { previous(); }
    else if (key === "ArrowDown") { if (!scrolled(60)) { next(); } }
    else if (key === "ArrowUp") { if (!scrolled(-60)) { previous(); } }
    else if (key === "PageDown" || (key === " " && !event.shiftKey)) { if (!scrolled(page)) { next(); } }
    else if (key === "PageUp" || (key === " " && event.shiftKey)) { if (!scrolled(-page)) { previous(); } }
    else if (key === "Home") { show(0, false, true); }
    else if (key === "End") { show(slides.length - 1, true, true); }
    else if (key === "f") { fullScreen(); }
    else { return; }
    event.preventDefault();
  });
  document.querySelector(".slides-bar .next").addEventListener("click", next);
  document.querySelector(".slides-bar .previous").addEventListener("click", previous);
  document.querySelector(".slides-bar .fullscreen").addEventListener("click", fullScreen);
  const start = parseInt((location.hash || "#1").slice(1), 10);
  show(isNaN(start) ? 0 : start - 1, false, false);
})();
