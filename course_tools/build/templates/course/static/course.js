// Draws every chart of the page with the local Vega bundle (_static/vega-bundle.js) and reports
// the result in window.__course (read by the browser test). No request leaves the page's folder.
// It also keeps the page usable by keyboard: a box that scrolls sideways (code, tables, charts on a
// narrow screen; marked data-scroll-box="<label>") gets tabindex, role and label exactly while it
// overflows (labelled "Code 2 (scrolls sideways)": unique, so that landmarks can be told apart), and
// the controls Vega-Lite draws under a chart get names a screen reader reads.
// The words it writes are English unless the page hands it their translation in #course-words
// (a JSON object written by the templates from the site's catalogue): say("slide", {...}).
(function () {
  const english = {
    box: "{box} (scrolls sideways)",
    chartFailed: "This chart could not be drawn: {error}. Its text description follows.",
    slide: "Slide {number} of {count}",
    slideTitled: "Slide {number} of {count}: {title}",
    step: "Step {number} of {count} shown"
  };
  let words = {};
  try {
    const given = document.getElementById("course-words");
    words = given ? JSON.parse(given.textContent) : {};
  } catch (error) { words = {}; }
  function say(key, values) {
    return String(words[key] || english[key]).replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }
  window.__courseSay = say;

  // The bundle's Vega (6) draws Vega-Lite 5's output as vl-convert does, but vega-embed warns
  // about the version gap once per chart: drop exactly that message, pass every other one on.
  const warn = console.warn.bind(console);
  console.warn = function (message) {
    if (typeof message === "string" && message.indexOf("The compiled spec uses Vega v5") === 0) { return; }
    warn.apply(null, arguments);
  };

  function scrollBoxes() {
    const boxes = Array.from(document.querySelectorAll("[data-scroll-box]"));
    const scrolling = boxes.filter(function (box) {
      return box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
    });
    const total = {}, seen = {};
    scrolling.forEach(function (box) { const kind = box.dataset.scrollBox; total[kind] = (total[kind] || 0) + 1; });
    boxes.forEach(function (box) {
      const kind = box.dataset.scrollBox;
      if (scrolling.indexOf(box) >= 0) {
        seen[kind] = (seen[kind] || 0) + 1;
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", say("box", { box: kind + (total[kind] > 1 ? " " + seen[kind] : "") }));
      } else if (box !== document.activeElement) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  let pending = null;
  function scrollBoxesSoon() {
    if (pending) { cancelAnimationFrame(pending); }
    pending = requestAnimationFrame(function () { pending = null; scrollBoxes(); });
  }
  window.addEventListener("resize", scrollBoxesSoon);
  document.addEventListener("course:slide", scrollBoxesSoon);
  window.__courseScrollBoxes = scrollBoxes;

  // Vega-Lite bindings: a slider's <label> also holds its changing value, and radio buttons have no
  // group name; give each input its control's name.
  function nameControls(figure) {
    figure.querySelectorAll(".vega-bind").forEach(function (bind) {
      const nameSpan = bind.querySelector(".vega-bind-name");
      const name = nameSpan ? nameSpan.textContent.trim().replace(/:$/, "") : "";
      if (!name) { return; }
      const radios = bind.querySelector(".vega-bind-radio");
      if (radios) {
        radios.setAttribute("role", "radiogroup");
        radios.setAttribute("aria-label", name);
      } else {
        bind.querySelectorAll("input, select").forEach(function (input) {
          if (!input.hasAttribute("aria-label")) { input.setAttribute("aria-label", name); }
        });
      }
    });
  }

  const status = { total: 0, rendered: 0, failed: [], done: false };
  window.__course = status;
  const figures = Array.from(document.querySelectorAll("figure.chart"));
  status.total = figures.length;
  const jobs = figures.map(function (figure) {
    const target = figure.querySelector(".chart-view");
    return Promise.resolve().then(function () {
      const spec = JSON.parse(figure.querySelector("script.chart-spec").textContent);
      return window.vegaEmbed(target, spec, { actions: false, renderer: "svg" });
    }).then(function (result) {
      nameControls(figure);
      figure.dataset.status = "rendered"; figure.__view = result.view; status.rendered += 1;
    }).catch(function (error) {
      figure.dataset.status = "failed"; status.failed.push(figure.id + ": " + error);
      target.textContent = say("chartFailed", { error: String(error) });
      target.className = "chart-view chart-failed";
    });
  });
  scrollBoxes();
  Promise.all(jobs).then(function () {
    scrollBoxes();
    status.done = true;
    document.dispatchEvent(new Event("course:charts"));
  });
})();
