// Draws every chart of the page with the local Vega bundle (_static/vega-bundle.js) and reports
// the result in window.__course (read by the browser test). No request leaves the page's folder.
(function () {
  // The bundle's Vega (6) draws Vega-Lite 5's output as vl-convert does, but vega-embed warns
  // about the version gap once per chart: drop exactly that message, pass every other one on.
  const warn = console.warn.bind(console);
  console.warn = function (message) {
    if (typeof message === "string" && message.indexOf("The compiled spec uses Vega v5") === 0) { return; }
    warn.apply(null, arguments);
  };
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
      figure.dataset.status = "rendered"; figure.__view = result.view; status.rendered += 1;
    }).catch(function (error) {
      figure.dataset.status = "failed"; status.failed.push(figure.id + ": " + error);
      target.textContent = "This chart could not be drawn: " + String(error);
      target.className = "chart-view chart-failed";
    });
  });
  Promise.all(jobs).then(function () { status.done = true; document.dispatchEvent(new Event("course:charts")); });
})();
