/* The cost estimator on the pricing page. Plain JavaScript, no framework,
 * no network beyond the site's own pricing.json (written at build time from
 * data/pricing.yml). The arithmetic mirrors scripts/seedpress/pricing.py:
 * exact fractions (BigInt), rounded half up only for display: 4 decimals
 * per second, 2 for a total, whole tokens. tests/test_estimator.py runs
 * this file in node and holds it to the Python results. */
(function (root) {
  "use strict";

  function decimal(text) {
    var s = String(text).trim();
    if (!/^\d+(\.\d+)?$/.test(s)) throw new Error("not a decimal number: " + s);
    var parts = s.split(".");
    var frac = parts[1] || "";
    return { n: BigInt(parts[0] + frac), d: 10n ** BigInt(frac.length) };
  }

  function mul(a, b) { return { n: a.n * b.n, d: a.d * b.d }; }
  function div(a, b) { return { n: a.n * b.d, d: a.d * b.n }; }
  function add(a, b) { return { n: a.n * b.d + b.n * a.d, d: a.d * b.d }; }
  function int(v) { return { n: BigInt(v), d: 1n }; }

  function roundHalfUp(x, decimals) {
    var scale = 10n ** BigInt(decimals);
    return (x.n * scale * 2n + x.d) / (2n * x.d);
  }

  function group(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function fixed(x, decimals) {
    var q = roundHalfUp(x, decimals).toString();
    if (decimals === 0) return group(q);
    q = q.padStart(decimals + 1, "0");
    return group(q.slice(0, -decimals)) + "." + q.slice(-decimals);
  }

  function toNumber(x) { return Number(x.n) / Number(x.d); }

  function findEndpoint(data, tier, mode) {
    for (var i = 0; i < data.endpoints.length; i++) {
      var e = data.endpoints[i];
      if (e.tier === tier && e.mode === mode) return e;
    }
    throw new Error("no " + mode + " endpoint on the " + tier + " tier");
  }

  /* One render's tokens and cost; throws Error with a reader's message. */
  function quote(data, pick) {
    var ep = pick.endpoint
      ? data.endpoints.filter(function (e) { return e.id === pick.endpoint; })[0]
      : findEndpoint(data, pick.tier, pick.mode);
    if (!ep) throw new Error("unknown endpoint " + pick.endpoint);
    var duration = Number(pick.duration);
    if (ep.resolutions.indexOf(pick.resolution) < 0)
      throw new Error(ep.id + " does not render " + pick.resolution);
    if (!Number.isInteger(duration) || ep.durations.indexOf(duration) < 0)
      throw new Error("duration: " + Math.min.apply(null, ep.durations) + " to " +
        Math.max.apply(null, ep.durations) + " whole seconds");
    var size = (data.sizes[pick.resolution] || {})[pick.aspect_ratio];
    if (!size) throw new Error("unknown aspect ratio " + pick.aspect_ratio);
    var extra = decimal(pick.video_input_seconds || "0");
    var hasExtra = extra.n > 0n;
    var ref = pick.reference_video === undefined ? hasExtra : Boolean(pick.reference_video);
    if (hasExtra && !ref) throw new Error("input video seconds need video inputs");
    if (ref && ep.mode !== "reference")
      throw new Error("video inputs need a reference-to-video endpoint");
    var low = data.video_input_seconds[0], high = data.video_input_seconds[1];
    var seconds = toNumber(extra);
    if (hasExtra && (seconds < low || seconds > high))
      throw new Error("video inputs last " + low + " to " + high +
        " s together (or 0 to leave them out of the count)");
    var tokens = div(mul(int(size[0] * size[1] * data.frame_rate), add(int(duration), extra)),
      int(data.tokens_divisor));
    var cost = mul(div(tokens, int(1000)), decimal(data.tiers[ep.tier].rate_per_1k_tokens));
    if (ref) cost = mul(cost, decimal(data.reference_video_multiplier));
    var perSecond = div(cost, int(duration));
    return {
      endpoint: ep.id,
      tier: ep.tier,
      tokens: toNumber(tokens),
      cost_usd: toNumber(cost),
      per_second_usd: toNumber(perSecond),
      display: {
        tokens: fixed(tokens, 0),
        cost: "$" + fixed(cost, data.decimals.total),
        per_second: "$" + fixed(perSecond, data.decimals.per_second)
      }
    };
  }

  var api = { quote: quote, fixed: fixed, decimal: decimal };
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
        out.append(total, " for " + q.display.tokens + " tokens (" + q.display.per_second +
          " per second) on ", code);
      } catch (err) {
        out.classList.add("sp-estimator--error");
        out.textContent = err.message;
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
