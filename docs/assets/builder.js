/* The request builder (docs/builder.md). Plain JavaScript, no framework, no
 * network beyond the site's own pricing.json. seedance.js (loaded first)
 * checks the request, prices it and writes it out, as
 * scripts/seedpress/request.py and snippets.py do for the page the build
 * renders; highlight.js colours the code.
 *
 * On every input the form is read, checked, and the verdict (status,
 * errors, warnings, price, rule), the summary that stays in view, the share
 * link and the code tabs are filled in (as text, never as HTML). The request
 * lives in the address bar's query, so a link restores it:
 *
 *   kind    endpoint kind: text, image or reference      (form field mode)
 *   tier    standard or fast                             (tier)
 *   res     480p, 720p or 1080p                          (resolution)
 *   ratio   auto, 21:9, 16:9, 4:3, 1:1, 3:4 or 9:16      (aspect_ratio)
 *   dur     auto or whole seconds, 4 to 15               (duration)
 *   seed    a whole number; empty: fal picks one         (seed)
 *   sound   on or off                                    (generate_audio)
 *   end     on or off: a last frame, image-to-video      (end_image)
 *   img, vid, aud   how many images, videos, audio files (images, videos, audio)
 *   vsec, asec      seconds of all videos, of all audio  (video_seconds, audio_seconds)
 *   url, endurl     the start image's and the last frame's URL
 *   imgurl, vidurl, audurl   each reference file's URL, in order, repeated
 *   prompt  the prompt
 *
 * A link states its request against fal's defaults (from pricing.json): a
 * parameter it leaves out means fal's default. A page opened with no query
 * shows the worked request, and the link to the worked request is the bare
 * address.
 *
 * A value from a link that the form can hold, the form holds, even when fal
 * would refuse it (dur=16 becomes an option "16 s (from the link)", seed=abc
 * stays in the seed field): the verdict then says why fal refuses it. A value
 * the form cannot hold (a count that is no whole number, seconds that are no
 * number, sound=maybe, a parameter the builder does not have) is left out and
 * listed with the reason, and the verdict says the request is not the one the
 * link asked for, until the reader changes that field.
 *
 * The form to the request (tests/browser/test_builder_page.py mirrors it):
 * an empty seed is none, digits (with a minus sign) are an integer, any other
 * number a float and anything else text (which the check refuses); a count is
 * cut to a whole number from 0 to 9999 (the field shows what is sent once it
 * loses focus); empty seconds are 0; each reference kind sends the URL fields
 * it shows, an empty one as an example address. Changing the endpoint kind
 * clears the seed and says so in the page's seed_cleared sentence (the same
 * request sent again asks for the same take, the `seeds` rule of
 * data/rules.yml, which the seed's note links). */
(function () {
  "use strict";

  var core = window.Seedance;
  var paint = window.SeedpressHighlight;
  var script = document.currentScript;
  if (!core) return;  // seedance.js did not load: the page keeps its worked request

  /* [query parameter, form field, kind of field] in the order of the query */
  var FIELDS = [
    ["kind", "mode", "select"], ["tier", "tier", "select"], ["res", "resolution", "select"],
    ["ratio", "aspect_ratio", "select"], ["dur", "duration", "select"],
    ["seed", "seed", "text"], ["sound", "generate_audio", "check"],
    ["end", "end_image", "check"], ["url", "image_url", "text"],
    ["endurl", "end_image_url", "text"], ["img", "images", "count"],
    ["imgurl", "image_urls", "urls"], ["vid", "videos", "count"],
    ["vidurl", "video_urls", "urls"], ["aud", "audio", "count"],
    ["audurl", "audio_urls", "urls"], ["vsec", "video_seconds", "number"],
    ["asec", "audio_seconds", "number"], ["prompt", "prompt", "text"]
  ];
  var MOST_FILES = 9999;
  var LONGEST_TEXT = 20000;
  /* what <input type=number> holds: an HTML "valid floating-point number" */
  var NUMBER = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d{1,3})?$/;
  var ON = { on: true, "1": true, "true": true, yes: true };
  var OFF = { off: true, "0": true, "false": true, no: true };
  var URL_DELAY_MS = 250;

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

  function wire(form, data) {
    var f = form.elements;
    var kinds = data.call.kinds;  // [kind, field, tag]
    var limits = data.limits.references;
    var fal = data.builder.defaults;
    var verifyUrl = form.getAttribute("data-verify-url") || "";
    var code = {};
    data.builder.variants.forEach(function (v) { code[v[0]] = byId("sp-builder-" + v[0]); });
    var groups = form.querySelectorAll("fieldset[data-mode]");
    var endLabel = form.querySelector("[data-end-image]");
    var box = byId("sp-builder-verdict"), status = byId("sp-builder-status");
    var link = byId("sp-builder-link"), codeSet = byId("sp-builder-code");
    var codeStatus = byId("sp-builder-code-status");
    var summary = byId("sp-builder-summary");
    var seedNote = byId("sp-builder-seed-note");
    var seedNoteText = seedNote ? seedNote.textContent : "";
    /* the page's sentences (builder_markup.SENTENCES), from the form's data-* */
    function said(key, params) {
      var text = form.getAttribute("data-" + key.replace(/_/g, "-")) || "";
      return text.replace(/\{(\w+)\}/g, function (_, name) { return params[name]; });
    }
    var timer = null;
    /* each reference kind's URLs as typed, kept when a count goes down and up */
    var urls = {};
    kinds.forEach(function (k) { urls[k[1]] = []; });
    /* param -> {text, field, why}: what a link asked for that the form cannot hold */
    var dropped = {};

    /* -- the URL fields of the reference kinds -------------------------------- */

    function count(field) {
      var n = Number(field.value.trim());
      if (field.validity.badInput || !Number.isFinite(n)) n = 0;
      return Math.min(MOST_FILES, Math.max(0, Math.floor(n)));
    }

    function urlBox(key) { return form.querySelector(".sp-builder__urls[data-field='" + key + "']"); }

    function syncUrlFields() {
      kinds.forEach(function (k) {
        var kind = k[0], key = k[1], tag = k[2], holder = urlBox(key);
        if (!holder) return;
        var want = Math.min(count(f[kind]), limits[kind]);
        var have = holder.querySelectorAll("input");
        for (var n = have.length; n > want; n--) holder.lastElementChild.remove();
        for (n = 0; n < Math.min(have.length, want); n++) {
          var kept = urls[key][n] || "";
          if (have[n].value !== kept) have[n].value = kept;
        }
        for (n = have.length + 1; n <= want; n++) {
          var label = document.createElement("label");
          label.className = "sp-builder__url";
          var name = document.createElement("code");
          name.textContent = "@" + tag + n;
          var input = document.createElement("input");
          input.name = key;
          input.type = "url";
          input.inputMode = "url";
          input.autocomplete = "off";
          input.spellcheck = false;
          input.placeholder = core.placeholder(data, kind, n);
          input.value = urls[key][n - 1] || "";
          var text = document.createElement("span");
          text.append(said("url_of", {}) + " ", name);
          label.append(text, input);
          holder.appendChild(label);
        }
      });
    }

    function urlValues(key) {
      var holder = urlBox(key);
      return holder ? Array.prototype.map.call(holder.querySelectorAll("input"),
        function (input) { return input.value; }) : [];
    }

    /* -- the request -------------------------------------------------------- */

    function number(field) {
      var text = field.value.trim();
      return field.validity.badInput || !NUMBER.test(text) ? "" : text;
    }

    function seedOf(text) {
      text = text.trim();
      if (text === "") return null;
      if (/^-?[0-9]+$/.test(text)) return text;
      if (NUMBER.test(text)) return { float: Number(text) };
      return { text: text };
    }

    function requestOf() {
      var request = {
        mode: f.mode.value, tier: f.tier.value, resolution: f.resolution.value,
        aspect_ratio: f.aspect_ratio.value, duration: f.duration.value,
        seed: seedOf(f.seed.value), generate_audio: f.generate_audio.checked,
        end_image: f.end_image.checked, prompt: f.prompt.value,
        image_url: f.image_url.value, end_image_url: f.end_image_url.value,
        images: count(f.images), videos: count(f.videos), audio: count(f.audio),
        video_seconds: number(f.video_seconds) || "0",
        audio_seconds: number(f.audio_seconds) || "0"
      };
      kinds.forEach(function (k) { request[k[1]] = urlValues(k[1]); });
      return request;
    }

    /* -- the form's values as text, for the query ------------------------------ */

    function valueOf(spec) {
      if (spec[2] === "urls") {
        var values = urlValues(spec[1]);
        while (values.length && !values[values.length - 1]) values.pop();
        return values;
      }
      var field = f[spec[1]];
      return spec[2] === "check" ? (field.checked ? "on" : "off") : field.value;
    }

    function falValue(spec) {
      var v = fal[spec[1]];
      if (spec[2] === "urls") return [];
      if (spec[2] === "check") return v ? "on" : "off";
      return v === null || v === undefined ? "" : String(v);
    }

    function same(a, b) {
      return Array.isArray(a) ? a.length === b.length && a.every(function (x, i) {
        return x === b[i];
      }) : a === b;
    }

    var worked = null;  // the form's values as the page renders them

    function encode(text) {
      return encodeURIComponent(text).replace(/%20/g, "+").replace(/%3A/gi, ":")
        .replace(/%40/g, "@").replace(/%2C/gi, ",").replace(/%2F/gi, "/");
    }

    function queryOf() {
      var now = FIELDS.map(valueOf);
      if (now.every(function (v, i) { return same(v, worked[i]); })) return "";
      var parts = [];
      FIELDS.forEach(function (spec, i) {
        if (same(now[i], falValue(spec))) return;
        if (spec[2] === "urls") {
          now[i].forEach(function (u) { parts.push(spec[0] + "=" + encode(u)); });
        } else {
          parts.push(spec[0] + "=" + encode(now[i]));
        }
      });
      return parts.length ? "?" + parts.join("&") : "";
    }

    /* -- a shared link ------------------------------------------------------------- */

    function why(code, params) {
      return core.sentence(core.message(data, { code: code, params: params || {} }));
    }

    function selectHolds(select, text) {
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === text) return true;
      }
      var option = document.createElement("option");
      option.value = text;
      option.textContent = said("from_link", { value: text });
      option.setAttribute("data-from-link", "");
      select.appendChild(option);
      return true;
    }

    /* Set one field from a link's text; returns the reason it cannot, or "". */
    function take(spec, text) {
      var name = spec[1], field = f[name], kind = spec[2];
      if (text.length > LONGEST_TEXT) return said("dropped_long", { most: LONGEST_TEXT });
      if (kind === "select") { selectHolds(field, text); field.value = text; return ""; }
      if (kind === "check") {
        var t = text.toLowerCase();
        if (!ON[t] && !OFF[t]) return said("dropped_check", {});
        field.checked = Boolean(ON[t]);
        return "";
      }
      if (kind === "count") {
        var k = kinds.filter(function (x) { return x[0] === name; })[0];
        if (!/^\d+$/.test(text)) return why("count_type", { nouns: data.call.nouns[name][1] });
        if (Number(text) > MOST_FILES) {
          return why("count_max", { count: text + " " + data.call.nouns[name][1],
            most: String(limits[k[0]]) });
        }
        field.value = String(Number(text));
        return "";
      }
      if (kind === "number") {
        if (text !== "" && !NUMBER.test(text)) {
          return why("seconds_type", { kind: name.split("_")[0] });
        }
        field.value = text;
        return "";
      }
      field.value = text;
      return "";
    }

    function restore() {
      var params;
      try { params = new URLSearchParams(window.location.search); } catch (e) { params = null; }
      if (!params) return;
      var known = {};
      FIELDS.forEach(function (spec) { known[spec[0]] = spec; });
      var asks = FIELDS.some(function (spec) { return params.has(spec[0]); });
      if (asks) {
        // a link states its request against fal's defaults
        FIELDS.forEach(function (spec) {
          if (spec[2] === "urls") { urls[spec[1]] = []; return; }
          var field = f[spec[1]];
          if (spec[2] === "check") field.checked = falValue(spec) === "on";
          else field.value = falValue(spec);
        });
      }
      params.forEach(function (value, key) {
        var spec = known[key];
        if (!spec) {
          dropped[key] = { text: key + "=" + value, field: "",
            why: said("dropped_unknown", {}) };
          return;
        }
        if (spec[2] === "urls") { urls[spec[1]] = params.getAll(key); return; }
        var problem = take(spec, value);
        if (problem) dropped[key] = { text: key + "=" + value, field: spec[1], why: problem };
      });
    }

    function droppedItems() {
      return Object.keys(dropped).map(function (key) {
        var d = dropped[key], shown = d.text.length > 60 ? d.text.slice(0, 59) + "\u2026" : d.text;
        return said("dropped", { param: shown, why: d.why });
      });
    }

    /* -- the page -------------------------------------------------------------------- */

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
      var endpoint = document.createElement("code");
      endpoint.textContent = verdict.endpoint;
      el.replaceChildren(total, " for " + verdict.price.tokens + " tokens (" +
        verdict.price.per_second + " per second of output) on ", endpoint);
    }

    function setCode(el, text, lang) {
      if (!el || el.textContent === text) return;
      if (paint) el.replaceChildren(paint.highlight(text, lang));
      else el.textContent = text;
    }

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
      syncUrlFields();
      var request = requestOf();
      Array.prototype.forEach.call(groups, function (group) {
        group.hidden = group.getAttribute("data-mode") !== request.mode;
      });
      if (endLabel) endLabel.hidden = !request.end_image;
      var verdict;
      try { verdict = core.checkRequest(data, request); } catch (e) { return; }
      var notes = droppedItems();
      var shown = Object.keys(dropped).some(function (key) { return dropped[key].field; })
        ? "refused" : verdict.status;
      var cls = "sp-builder__verdict sp-builder__verdict--" + shown;
      if (box && box.className !== cls) box.className = cls;
      var sentence = status ? status.getAttribute("data-" +
        (shown !== verdict.status ? "link" : shown)) || "" : "";
      setText(status, sentence);
      setList(byId("sp-builder-dropped"), notes);
      setList(byId("sp-builder-errors"), verdict.errors);
      setList(byId("sp-builder-warnings"), verdict.warnings);
      setPrice(byId("sp-builder-price"), verdict);
      setText(byId("sp-builder-rule"), verdict.rule);
      if (summary) {
        summary.setAttribute("data-status", shown);
        setText(byId("sp-builder-summary-status"), sentence);
        setText(byId("sp-builder-summary-price"), verdict.price ? verdict.price.cost
          : said("not_priced", {}));
      }
      var reasons = notes.concat(verdict.errors);
      if (codeSet) codeSet.setAttribute("data-status", shown);
      if (codeStatus) {
        codeStatus.hidden = shown !== "refused";
        setText(codeStatus, shown === "refused" ? said("code_refused", { reason: reasons[0] }) +
          (reasons.length > 1 ? said("code_more", { n: reasons.length - 1 }) : "") : "");
      }
      var texts = core.allCode(data, verdict.endpoint, verdict.arguments, verifyUrl);
      Object.keys(code).forEach(function (k) { setCode(code[k], texts[k], k); });
      var query = queryOf();
      var url = new URL(window.location.href);
      url.search = query;
      if (link && link.href !== url.href) link.href = url.href;
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(syncAddress, URL_DELAY_MS, query);
    }

    /* an option a link added goes once the reader picks another */
    function prune(select) {
      Array.prototype.slice.call(select.querySelectorAll("option[data-from-link]"))
        .forEach(function (option) { if (!option.selected) option.remove(); });
    }

    function forget(name) {
      Object.keys(dropped).forEach(function (key) {
        if (dropped[key].field === name || !dropped[key].field) delete dropped[key];
      });
    }

    form.addEventListener("input", function (event) {
      var target = event.target;
      if (target.name && urls[target.name]) {
        urls[target.name] = urlValues(target.name);
      }
      if (target.name) forget(target.name);
      update();
    });
    form.addEventListener("change", function (event) {
      var target = event.target;
      for (var i = 0; i < FIELDS.length; i++) {
        if (FIELDS[i][2] === "count" && FIELDS[i][1] === target.name) {
          var n = String(count(target));
          if (target.value !== n) target.value = n;
        }
      }
      if (target.tagName === "SELECT") prune(target);
      if (target.name === "mode" && f.seed.value.trim() !== "") {
        var old = f.seed.value.trim();
        f.seed.value = "";
        setText(seedNote, said("seed_cleared", { seed: old }));
      } else if (target.name === "seed" && seedNote) {
        setText(seedNote, seedNoteText);
      }
      if (target.name) forget(target.name);
      update();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });

    syncUrlFields();
    worked = FIELDS.map(valueOf);
    restore();
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
