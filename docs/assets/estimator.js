/* The cost estimator on the pricing page. Plain JavaScript, no framework,
 * no network beyond the site's own pricing.json (written at build time from
 * data/pricing.yml). The arithmetic is seedance.js's (loaded before this
 * file; in node it is required from beside this one), which mirrors
 * scripts/seedpress/pricing.py: exact fractions, rounded half up
 * only for display. tests/test_estimator.py runs this file in node and
 * holds it to the Python results. */
(function (root) {
  "use strict";

  var core = root.Seedance ||
    (typeof require === "function" ? require("./seedance.js") : null);
  if (!core) return;  // seedance.js did not load: the page keeps its worked figures
  var quote = core.quote;

  var api = { quote: core.quote, fixed: core.fixed, decimal: core.decimal };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  root.SeedpressEstimator = api;

  if (typeof document === "undefined") return;
  var script = document.currentScript;

  function wire(form, data) {
    var out = form.querySelector("#estimator-result");
    function update() {
      var f = form.elements;
      try {
        var q = quote(data, {
          mode: f.mode.value, tier: f.tier.value, resolution: f.resolution.value,
          aspect_ratio: f.aspect_ratio.value, duration: f.duration.value,
          reference_video: f.reference_video.value === "yes",
          video_input_seconds: f.video_input_seconds.value || "0"
        });
        out.classList.remove("sp-estimator--error");
        out.innerHTML = "";
        var total = document.createElement("span");
        total.className = "sp-estimator__total";
        total.textContent = q.display.cost;
        var code = document.createElement("code");
        code.textContent = q.endpoint;
        var counted = "";  // with video inputs, say which reading of fal's rule this is
        if (f.reference_video.value === "yes") {
          var seconds = Number(f.video_input_seconds.value || "0");
          counted = seconds > 0 ? ", " + seconds + " s of input video counted,"
            : ", input video seconds not counted (fal's rule counts them: enter yours),";
        }
        out.append(total, " for " + q.display.tokens + " tokens (" + q.display.per_second +
          " per second)" + counted + " on ", code);
      } catch (err) {
        out.classList.add("sp-estimator--error");
        out.textContent = core.sentence(err.message);
      }
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
    form.dataset.ready = "true";
    update();
  }

  function start() {
    var form = document.getElementById("estimator");
    if (!form || !script) return;
    var url = new URL("pricing.json", script.src);
    fetch(url).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (data) { wire(form, data); }).catch(function () {
      form.dataset.ready = "error";
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(typeof globalThis !== "undefined" ? globalThis : this);
