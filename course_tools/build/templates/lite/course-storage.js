// The course in the browser keeps a student's notebooks in the browser's own storage, which a
// browser may clear when the disk runs short unless the site is granted "persistent" storage.
// On every load this asks for it (navigator.storage.persist(): no dialog in most browsers, which
// decide by themselves) and says in one line whether the browser agreed. The line stays until the
// student closes it; once closed it comes back only if the answer changes.
// Save a copy of everything with File > Download All My Work (course-work.js).
// window.courseStorage holds the answer ("granted", "denied", "unsupported") for tests.
(function () {
  "use strict";
  var TOLD = "course-storage-told";
  var LINES = {
    granted: "Your work is kept in this browser: it has agreed not to clear the notebooks you change here.",
    denied: "This browser may clear your work when it runs short of space: keep a copy of your work " +
      "(File > Download All My Work).",
    unsupported: "This browser cannot promise to keep your work: keep a copy of your work " +
      "(File > Download All My Work)."
  };

  function remembered() {
    try { return window.localStorage.getItem(TOLD); } catch (error) { return null; }
  }

  function remember(answer) {
    try { window.localStorage.setItem(TOLD, answer); } catch (error) { /* private mode: tell again */ }
  }

  function show(answer) {
    window.courseStorage = answer;
    if (remembered() === answer) {
      return;
    }
    var bar = note("course-storage-note", LINES[answer], "OK, close this note about keeping your work",
                   function () { remember(answer); });
    bar.setAttribute("data-answer", answer);
  }

  // One line at the bottom of the page, role="status", closed with its OK button (then onClose);
  // the site's lines stack there, one per id (course-work.js shows its own: window.courseNotes).
  function note(id, words, closeLabel, onClose) {
    var holder = document.getElementById("course-notes");
    if (!holder) {
      holder = document.createElement("div");
      holder.id = "course-notes";
      holder.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:10000;display:flex;flex-direction:column;";
      document.body.appendChild(holder);
    }
    var old = document.getElementById(id);
    if (old) {
      old.remove();
    }
    var bar = document.createElement("div");
    bar.id = id;
    bar.setAttribute("role", "status");
    bar.style.cssText = "display:flex;gap:1em;align-items:center;justify-content:center;padding:0.5em 1em;" +
      "font:14px/1.4 system-ui,sans-serif;background:#1d3557;color:#ffffff;border-top:1px solid #ffffff;";
    var text = document.createElement("span");
    text.textContent = words;
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "OK";
    close.setAttribute("aria-label", closeLabel);  // the visible word first (WCAG 2.5.3)
    close.style.cssText = "font:inherit;padding:0.2em 1em;background:#ffffff;color:#1d3557;" +
      "border:2px solid #ffffff;border-radius:4px;cursor:pointer;";
    close.addEventListener("click", function () {
      if (onClose) {
        onClose();
      }
      bar.remove();
    });
    bar.appendChild(text);
    bar.appendChild(close);
    holder.appendChild(bar);
    return bar;
  }

  window.courseNotes = {show: note};

  function ask() {
    var storage = navigator.storage;
    if (!storage || typeof storage.persist !== "function") {
      show("unsupported");
      return;
    }
    storage.persisted()
      .then(function (already) { return already || storage.persist(); })
      .then(function (granted) { show(granted ? "granted" : "denied"); })
      .catch(function () { show("unsupported"); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ask);
  } else {
    ask();
  }
})();
