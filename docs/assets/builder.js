/* The request builder (docs/builder.md). Plain JavaScript, no framework, no
 * network beyond the site's own pricing.json. seedance.js (loaded first)
 * checks the request, prices it and writes it out, as
 * scripts/seedpress/request.py does for the page the server renders.
 *
 * On every input the form is read, checked, and the verdict (status,
 * errors, warnings, price, rule), the share link and the three code blocks
 * are filled in (as text, never as HTML). The request lives in the address
 * bar's query, so a link restores it. Parameters, written only when they
 * differ from the worked request the page shows without JavaScript:
 *
 *   kind    endpoint kind: text, image or reference      (form field mode)
 *   tier    standard or fast                             (tier)
 *   res     480p, 720p or 1080p                          (resolution)
 *   ratio   auto, 21:9, 16:9, 4:3, 1:1, 3:4 or 9:16      (aspect_ratio)
 *   dur     auto or whole seconds, 4 to 15               (duration)
 *   seed    a number; empty: fal picks one               (seed)
 *   sound   on or off                                    (generate_audio)
 *   end     on or off: a last frame, image-to-video      (end_image)
 *   img, vid, aud   how many images, videos, audio files (images, videos, audio)
 *   vsec, asec      seconds of all videos, of all audio  (video_seconds, audio_seconds)
 *   prompt  the prompt
 *
 * A value the form cannot hold (an unknown option, a count that is not a
 * whole number from 0 to 999, text where a number goes) is dropped: the
 * field keeps the page's default. Unknown parameters are dropped too.
 *
 * The form to the request (tests/browser/test_builder_page.py mirrors it):
 * an empty seed is none, digits are an integer, any other number a float
 * (which the check refuses); a count is cut to a whole number from 0 to 999
 * (the field shows what is sent once it loses focus); empty seconds are 0. */
(function () {
  "use strict";

  var core = window.Seedance;
  var script = document.currentScript;
  if (!core) return;  // seedance.js did not load: the page keeps its worked request

  /* [query parameter, form field, kind of field] in the order of the query */
  var FIELDS = [
    ["kind", "mode", "select"], ["tier", "tier", "select"], ["res", "resolution", "select"],
    ["ratio", "aspect_ratio", "select"], ["dur", "duration", "select"],
    ["seed", "seed", "number"], ["sound", "generate_audio", "check"],
    ["end", "end_image", "check"], ["img", "images", "count"], ["vid", "videos", "count"],
    ["aud", "audio", "count"], ["vsec", "video_seconds", "number"],
    ["asec", "audio_seconds", "number"], ["prompt", "prompt", "text"]
  ];
  var MOST_FILES = 999;
  var LONGEST_PROMPT = 20000;
  /* what <input type=number> holds: an HTML "valid floating-point number" */
  var NUMBER = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d{1,3})?$/;
  var ON = { on: true, "1": true, "true": true, yes: true };
  var OFF = { off: true, "0": true, "false": true, no: true };
  var URL_DELAY_MS = 250;

  /* -- the form's values as text, and the page's defaults ------------------ */

  function valueOf(field, kind) {
    if (kind === "check") return field.checked ? "on" : "off";
    return field.value;
  }

  function defaultOf(field, kind) {
    if (kind === "check") return field.defaultChecked ? "on" : "off";
    if (kind === "select") {
      for (var i = 0; i < field.options.length; i++) {
        if (field.options[i].defaultSelected) return field.options[i].value;
      }
      return field.options.length ? field.options[0].value : "";
    }
    return field.defaultValue;
  }

  /* The value a query parameter asks for, or null when the field cannot hold it. */
  function accepted(field, kind, text) {
    if (kind === "select") {
      for (var i = 0; i < field.options.length; i++) {
        if (field.options[i].value === text) return text;
      }
      return null;
    }
    if (kind === "check") {
      var t = text.toLowerCase();
      return ON[t] ? "on" : OFF[t] ? "off" : null;
    }
    if (kind === "count") return /^\d{1,3}$/.test(text) ? String(Number(text)) : null;
    if (kind === "number") return text === "" || NUMBER.test(text) ? text : null;
    return text.length <= LONGEST_PROMPT ? text : null;
  }

  function setValue(field, kind, text) {
    if (kind === "check") field.checked = text === "on";
    else field.value = text;
  }

  /* -- the request ---------------------------------------------------------- */

  function count(field) {
    var n = Number(field.value.trim());
    if (field.validity.badInput || !Number.isFinite(n)) n = 0;
    return Math.min(MOST_FILES, Math.max(0, Math.floor(n)));
  }

  function number(field) {
    var text = field.value.trim();
    return field.validity.badInput || !NUMBER.test(text) ? "" : text;
  }

  function requestOf(form) {
    var f = form.elements;
    var seconds = function (field) { return number(field) || "0"; };
    return {
      mode: f.mode.value, tier: f.tier.value, resolution: f.resolution.value,
      aspect_ratio: f.aspect_ratio.value, duration: f.duration.value,
      seed: number(f.seed) || null, generate_audio: f.generate_audio.checked,
      end_image: f.end_image.checked, prompt: f.prompt.value,
      images: count(f.images), videos: count(f.videos), audio: count(f.audio),
      video_seconds: seconds(f.video_seconds), audio_seconds: seconds(f.audio_seconds)
    };
  }

  /* -- the query ------------------------------------------------------------- */

  function encode(text) {
    return encodeURIComponent(text).replace(/%20/g, "+").replace(/%3A/gi, ":")
      .replace(/%40/g, "@").replace(/%2C/gi, ",");
  }

  function queryOf(form, defaults) {
    var parts = [];
    FIELDS.forEach(function (spec) {
      var value = valueOf(form.elements[spec[1]], spec[2]);
      if (value !== defaults[spec[1]]) parts.push(spec[0] + "=" + encode(value));
    });
    return parts.length ? "?" + parts.join("&") : "";
  }

  function restore(form, defaults) {
    var params;
    try { params = new URLSearchParams(window.location.search); } catch (e) { params = null; }
    FIELDS.forEach(function (spec) {
      var field = form.elements[spec[1]], kind = spec[2];
      var asked = params && params.has(spec[0]) ? accepted(field, kind, params.get(spec[0]))
        : null;
      setValue(field, kind, asked === null ? defaults[spec[1]] : asked);
    });
  }

  /* -- the page --------------------------------------------------------------- */

  function byId(id) { return document.getElementById(id); }

  function setText(el, text) {
    if (el && el.textContent !== text) el.textContent = text;
  }

  function setList(el, items) {
    if (!el) return;
    var now = Array.prototype.map.call(el.children, function (li) { return li.textContent; });
    if (now.length === items.length && now.every(function (t, i) { return t === items[i]; })) {
      return;
    }
    el.replaceChildren.apply(el, items.map(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      return li;
    }));
  }

  function setPrice(el, verdict) {
    if (!el) return;
    var text = verdict.price ? verdict.price.cost + " for " + verdict.price.tokens +
      " tokens (" + verdict.price.per_second + " per second of output) on " + verdict.endpoint
      : "";
    if (el.textContent === text) return;
    if (!verdict.price) { el.replaceChildren(); return; }
    var total = document.createElement("span");
    total.className = "sp-builder__total";
    total.textContent = verdict.price.cost;
    var code = document.createElement("code");
    code.textContent = verdict.endpoint;
    el.replaceChildren(total, " for " + verdict.price.tokens + " tokens (" +
      verdict.price.per_second + " per second of output) on ", code);
  }

  function wire(form, data) {
    var defaults = {};
    FIELDS.forEach(function (spec) {
      defaults[spec[1]] = defaultOf(form.elements[spec[1]], spec[2]);
    });
    var box = byId("sp-builder-verdict"), status = byId("sp-builder-status");
    var link = byId("sp-builder-link");
    var code = {};
    data.builder.variants.forEach(function (v) { code[v[0]] = byId("sp-builder-" + v[0]); });
    var verifyUrl = form.getAttribute("data-verify-url") || "";
    var groups = form.querySelectorAll("fieldset[data-mode]");
    var timer = null;

    function syncAddress(query) {
      timer = null;
      var url = new URL(window.location.href);
      url.search = query;
      if (url.href !== window.location.href) {
        try { window.history.replaceState(window.history.state, "", url.href); } catch (e) {
          // a browser that refuses (too many calls) keeps the old address; the link is right
        }
      }
    }

    function update() {
      var request = requestOf(form);
      Array.prototype.forEach.call(groups, function (group) {
        group.hidden = group.getAttribute("data-mode") !== request.mode;
      });
      var verdict;
      try { verdict = core.checkRequest(data, request); } catch (e) { return; }
      var cls = "sp-builder__verdict sp-builder__verdict--" + verdict.status;
      if (box && box.className !== cls) box.className = cls;
      if (status) setText(status, status.getAttribute("data-" + verdict.status) || "");
      setList(byId("sp-builder-errors"), verdict.errors);
      setList(byId("sp-builder-warnings"), verdict.warnings);
      setPrice(byId("sp-builder-price"), verdict);
      setText(byId("sp-builder-rule"), verdict.rule);
      var texts = core.allCode(data, verdict.endpoint, verdict.arguments, verifyUrl);
      Object.keys(code).forEach(function (k) { setText(code[k], texts[k]); });
      var query = queryOf(form, defaults);
      var url = new URL(window.location.href);
      url.search = query;
      if (link && link.href !== url.href) link.href = url.href;
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(syncAddress, URL_DELAY_MS, query);
    }

    /* a count field shows the whole number that is sent once the reader leaves it */
    form.addEventListener("change", function (event) {
      var target = event.target;
      for (var i = 0; i < FIELDS.length; i++) {
        if (FIELDS[i][2] === "count" && FIELDS[i][1] === target.name) {
          var n = String(count(target));
          if (target.value !== n) target.value = n;
        }
      }
      update();
    });
    form.addEventListener("input", update);
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    restore(form, defaults);
    update();
    form.setAttribute("data-ready", "true");
  }

  function start() {
    var form = byId("sp-builder");
    if (!form || !script) return;
    fetch(new URL("pricing.json", script.src)).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (data) { wire(form, data); }).catch(function () {
      form.setAttribute("data-ready", "error");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
