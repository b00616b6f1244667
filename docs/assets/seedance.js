/* The shared core of the pricing estimator and the request builder: plain
 * JavaScript, no framework, no network, no DOM. Loaded on the pricing page
 * (before estimator.js) and on the builder page (before builder.js); in node
 * it is a module (tests/test_estimator.py and tests/test_builder.py run it).
 *
 * It holds logic only. The constants (endpoint kinds, tiers, file kinds and
 * their formats, fal's defaults, the code variants) and every message come
 * from the site's assets/pricing.json, which the build writes from
 * scripts/seedpress/content/call.py (the one validator), request.py and
 * snippets.py. What it computes must be what those compute, word for word
 * and byte for byte (tests/test_builder.py holds it to them on a grid of
 * several thousand requests, tests/test_estimator.py on every render):
 *
 * - the token formula, exactly: fractions of BigInts, rounded half up only
 *   for display (4 decimals per second, 2 for a total, whole tokens), as
 *   scripts/seedpress/pricing.py does;
 * - `validate(data, call, priced)`: validate_call, the reasons in order, each
 *   a code of the catalogue with the values its message names;
 * - `quote(data, pick)`: the estimator's price, or an Error whose message is
 *   quote_problem's;
 * - `checkRequest(data, request)`: check_request, the builder's verdict;
 * - the emitters of snippets.py: `jsonCode`, `curlCode`, `pythonCode`,
 *   `typescriptCode`, `webhookCode` (Python's json.dumps included).
 *
 * Values in a request: `seed` is null (fal picks one), a BigInt, an integer
 * Number or a string of ASCII digits (a Python int), a non-integer Number or
 * {float: Number} (a Python float), or {text: String} (a Python str);
 * `video_seconds` and `audio_seconds` are a Number (a Python float, taken at
 * its exact binary value), a BigInt, or a decimal string such as "2.5" (a
 * Python Fraction of that text, exact). Counts are whole Numbers. In
 * `arguments`, an integer seed is a BigInt: print it with the emitters, not
 * JSON.stringify. */
(function (root) {
  "use strict";

  /* -- exact fractions: {n, d} with BigInt n and d, d > 0 ----------------- */

  function int(v) { return { n: BigInt(v), d: 1n }; }
  function mul(a, b) { return { n: a.n * b.n, d: a.d * b.d }; }
  function div(a, b) {
    var x = { n: a.n * b.d, d: a.d * b.n };
    return x.d < 0n ? { n: -x.n, d: -x.d } : x;
  }
  function add(a, b) { return { n: a.n * b.d + b.n * a.d, d: a.d * b.d }; }
  function sub(a, b) { return { n: a.n * b.d - b.n * a.d, d: a.d * b.d }; }
  function cmp(a, b) {
    var x = a.n * b.d - b.n * a.d;
    return x < 0n ? -1 : x > 0n ? 1 : 0;
  }
  function abs(v) { return v < 0n ? -v : v; }
  function gcd(a, b) {
    a = abs(a); b = abs(b);
    while (b) { var t = a % b; a = b; b = t; }
    return a;
  }
  function reduce(x) {
    var g = gcd(x.n, x.d) || 1n;
    return { n: x.n / g, d: x.d / g };
  }
  /* Python's floor division (BigInt division truncates toward zero) */
  function floorDiv(a, b) {
    var q = a / b;
    return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
  }

  /* A non-negative decimal written in the rate table ("0.014"). */
  function decimal(text) {
    var s = String(text).trim();
    if (!/^\d+(\.\d+)?$/.test(s)) throw new Error("not a decimal number: " + s);
    var parts = s.split(".");
    var frac = parts[1] || "";
    return { n: BigInt(parts[0] + frac), d: 10n ** BigInt(frac.length) };
  }

  /* Python's Fraction(text) for ASCII text: "2", "-2.5", ".5", "1e3", "3/4". */
  function parseFraction(text) {
    var m = /^\s*([-+]?)(?=\d|\.\d)(\d*)(?:\/(\d+)|(?:\.(\d*))?(?:[eE]([-+]?\d+))?)\s*$/
      .exec(String(text));
    if (!m) throw new Error("not a number: " + text);
    var sign = m[1] === "-" ? -1n : 1n;
    if (m[3] !== undefined) {
      var den = BigInt(m[3]);
      if (den === 0n) throw new Error("zero denominator: " + text);
      return reduce({ n: sign * BigInt(m[2] || "0"), d: den });
    }
    var fracDigits = m[4] || "";
    var n = BigInt((m[2] || "0") + fracDigits) * sign;
    var d = 10n ** BigInt(fracDigits.length);
    var exp = m[5] ? Number(m[5]) : 0;
    if (exp >= 0) n *= 10n ** BigInt(exp);
    else d *= 10n ** BigInt(-exp);
    return reduce({ n: n, d: d });
  }

  /* The exact value of a double, as Python's Fraction(float) gives it. */
  function fromDouble(x) {
    if (!Number.isFinite(x)) throw new Error("not a finite number: " + x);
    var view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    var hi = view.getUint32(0), lo = view.getUint32(4);
    var exp = (hi >>> 20) & 0x7ff;
    var mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    if (exp === 0) exp = 1; else mant |= 1n << 52n;
    if (hi >>> 31) mant = -mant;
    var e = exp - 1075;
    return reduce(e >= 0 ? { n: mant << BigInt(e), d: 1n } : { n: mant, d: 1n << BigInt(-e) });
  }

  /* Any value a request may carry as seconds, exactly (see the header). */
  function exact(value) {
    if (value === null || value === undefined || value === "") return int(0);
    if (typeof value === "bigint") return int(value);
    if (typeof value === "number") return fromDouble(value);
    if (typeof value === "object" && typeof value.n === "bigint") return reduce(value);
    return parseFraction(value);
  }

  function bitLength(v) { return v === 0n ? 0 : v.toString(2).length; }

  /* Python's float(Fraction): the double nearest n/d, ties to even (normal range). */
  function toDouble(x) {
    if (x.n === 0n) return 0;
    var neg = x.n < 0n, n = abs(x.n), d = x.d;
    var k = 53 - (bitLength(n) - bitLength(d));
    var q, r, den;
    for (;;) {
      var num = k >= 0 ? n << BigInt(k) : n;
      den = k >= 0 ? d : d << BigInt(-k);
      q = num / den; r = num % den;
      if (q >= (1n << 53n)) k -= 1;
      else if (q < (1n << 52n)) k += 1;
      else break;
    }
    if (2n * r > den || (2n * r === den && (q & 1n))) q += 1n;
    var out = Number(q);
    // scale by 2^-k in two steps so that neither factor overflows
    var half = Math.trunc(-k / 2);
    out = out * Math.pow(2, half) * Math.pow(2, -k - half);
    return neg ? -out : out;
  }

  /* Fraction.limit_denominator(most), as CPython 3.11 writes it. */
  function limitDenominator(x, most) {
    x = reduce(x);
    most = BigInt(most);
    if (x.d <= most) return x;
    var p0 = 0n, q0 = 1n, p1 = 1n, q1 = 0n, n = x.n, d = x.d;
    for (;;) {
      var a = floorDiv(n, d);
      var q2 = q0 + a * q1;
      if (q2 > most) break;
      var np1 = p0 + a * p1;
      p0 = p1; q0 = q1; p1 = np1; q1 = q2;
      var nd = n - a * d;
      n = d; d = nd;
    }
    var k = floorDiv(most - q0, q1);
    var bound1 = reduce({ n: p0 + k * p1, d: q0 + k * q1 });
    var bound2 = reduce({ n: p1, d: q1 });
    var dist1 = sub(bound1, x), dist2 = sub(bound2, x);
    dist1 = { n: abs(dist1.n), d: dist1.d };
    dist2 = { n: abs(dist2.n), d: dist2.d };
    return cmp(dist2, dist1) <= 0 ? bound2 : bound1;
  }

  /* -- display --------------------------------------------------------- */

  function roundHalfUp(x, decimals) {
    var scale = 10n ** BigInt(decimals);
    return (x.n * scale * 2n + x.d) / (2n * x.d);
  }

  function group(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  /* A non-negative exact value with `decimals` decimals and thousands commas. */
  function fixed(x, decimals) {
    var q = roundHalfUp(x, decimals).toString();
    if (decimals === 0) return group(q);
    q = q.padStart(decimals + 1, "0");
    return group(q.slice(0, -decimals)) + "." + q.slice(-decimals);
  }

  function toNumber(x) { return Number(x.n) / Number(x.d); }

  function pad2(e) { return (e < 0 ? "-" : "+") + String(Math.abs(e)).padStart(2, "0"); }

  /* Python's format(x, "g") of a double: 6 significant digits, exact value,
   * ties to even; trailing zeros dropped; exponent below -4 or from 6 on. */
  function formatG(x) {
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x < 0 ? "-inf" : "inf";
    var sign = (x < 0 || Object.is(x, -0)) ? "-" : "";
    if (x === 0) return sign + "0";
    var f = fromDouble(Math.abs(x));
    var e = Math.floor(Math.log10(Math.abs(x)));
    // make 10^e <= f < 10^(e+1) exactly
    function pow10(k) { return k >= 0 ? int(10n ** BigInt(k)) : { n: 1n, d: 10n ** BigInt(-k) }; }
    while (cmp(f, pow10(e)) < 0) e -= 1;
    while (cmp(f, pow10(e + 1)) >= 0) e += 1;
    var scaled = div(f, pow10(e - 5));
    var q = scaled.n / scaled.d, r = scaled.n % scaled.d;
    if (2n * r > scaled.d || (2n * r === scaled.d && (q & 1n))) q += 1n;
    if (q === 1000000n) { q = 100000n; e += 1; }
    var digits = q.toString();
    if (e < -4 || e >= 6) {
      var rest = digits.slice(1).replace(/0+$/, "");
      return sign + digits[0] + (rest ? "." + rest : "") + "e" + pad2(e);
    }
    var text;
    if (e < 0) text = "0." + "0".repeat(-e - 1) + digits;
    else text = digits.slice(0, e + 1) + "." + digits.slice(e + 1);
    text = text.replace(/0+$/, "").replace(/\.$/, "");
    return sign + text;
  }

  /* Python's repr(float), which json.dumps prints for a float. */
  function pyFloat(x) {
    if (Number.isNaN(x)) return "NaN";
    if (!Number.isFinite(x)) return x < 0 ? "-Infinity" : "Infinity";
    var sign = (x < 0 || Object.is(x, -0)) ? "-" : "";
    var m = /^(\d)(?:\.(\d+))?e([-+]\d+)$/.exec(Math.abs(x).toExponential());
    var digits = m[1] + (m[2] || ""), exp = Number(m[3]), point = exp + 1;
    if (point <= -4 || point > 16) {
      return sign + digits[0] + (digits.length > 1 ? "." + digits.slice(1) : "") + "e" +
        pad2(exp);
    }
    if (point <= 0) return sign + "0." + "0".repeat(-point) + digits;
    if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length) + ".0";
    return sign + digits.slice(0, point) + "." + digits.slice(point);
  }


  /* -- the token formula ------------------------------------------------- */

  /* Tokens and cost of a render already known to be valid; exact fractions. */
  function price(data, ep, duration, resolution, ratio, extra, ref) {
    var size = data.sizes[resolution][ratio];
    var tokens = div(mul(int(size[0] * size[1] * data.frame_rate), add(int(duration), extra)),
      int(data.tokens_divisor));
    var cost = mul(div(tokens, int(1000)), decimal(data.tiers[ep.tier].rate_per_1k_tokens));
    if (ref) cost = mul(cost, decimal(data.reference_video_multiplier));
    var perSecond = div(cost, int(duration));
    return {
      width: size[0], height: size[1], tokens: tokens, cost: cost, perSecond: perSecond,
      display: {
        tokens: fixed(tokens, 0),
        cost: "$" + fixed(cost, data.decimals.total),
        per_second: "$" + fixed(perSecond, data.decimals.per_second)
      }
    };
  }

  /* -- Python's text rules ------------------------------------------------ */

  /* str.strip(): the characters Python calls whitespace (not JavaScript's trim). */
  var PY_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003" +
    "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";
  function pyStrip(s, chars) {
    chars = chars || PY_SPACE;
    var a = 0, b = s.length;
    while (a < b && chars.indexOf(s[a]) >= 0) a++;
    while (b > a && chars.indexOf(s[b - 1]) >= 0) b--;
    return s.slice(a, b);
  }

  /* int() of a run of Unicode decimal digits (Python's \d matches them all). */
  var ND = /^\p{Nd}$/u;
  function digitValue(ch) {
    var c = ch.codePointAt(0), start = c;
    // Unicode keeps each set of decimal digits contiguous, 0 to 9
    while (ND.test(String.fromCodePoint(start - 1))) start--;
    return (c - start) % 10;
  }
  function digitsValue(text) {
    if (/^[0-9]+$/.test(text)) return BigInt(text);
    var v = 0n;
    for (var ch of text) v = v * 10n + BigInt(digitValue(ch));
    return v;
  }

  /* A value as a message names it (call.py's show): text in quotes, a number
   * as Python writes it. */
  function show(v) {
    if (typeof v === "string") return "'" + v + "'";
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "number") return Number.isInteger(v) ? String(v) : pyFloat(v);
    if (v === null || v === undefined) return "None";
    if (v === true) return "True";
    if (v === false) return "False";
    if (v.int !== undefined) return v.int.toString();
    if (v.float !== undefined) return pyFloat(v.float);
    if (v.text !== undefined) return "'" + v.text + "'";
    return String(v);
  }

  function either(items) {
    return items.length === 1 ? items[0]
      : items.slice(0, -1).join(", ") + " or " + items[items.length - 1];
  }

  function fill(template, params) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return params[name]; });
  }

  /* A reason's message, and the same as a reader's sentence (call.py's sentence). */
  function message(data, reason) {
    return fill(data.call.catalogue[reason.code].text, reason.params);
  }
  function sentence(text) {
    if (/^[a-z]/.test(text) && text.slice(0, 3) !== "fal") {
      text = text[0].toUpperCase() + text.slice(1);
    }
    return /\.$/.test(text) ? text : text + ".";
  }
  function refuses(data, reason, priced) {
    return data.call.catalogue[reason.code].level === "error" ||
      (Boolean(priced) && reason.code === "resolution_unconfirmed");
  }

  /* -- the one validator (content/call.py's validate_call) -------------------- */

  /* a file tag, its word in any case (ASCII letters only, as call.py reads it) */
  var TAG = /@([Ii][Mm][Aa][Gg][Ee]|[Vv][Ii][Dd][Ee][Oo]|[Aa][Uu][Dd][Ii][Oo])(\p{Nd}+)/gu;
  var URL_RE = /^(?:(https?):\/\/[^/?#\x00-\x20]+([^?#\x00-\x20]*)(?:[?#][^\x00-\x20]*)?|data:([^,;]*)[,;][\s\S]*)$/i;

  function countOf(data, n, kind) {
    var nouns = data.call.nouns[kind];
    return n + " " + (String(n) === "1" ? nouns[0] : nouns[1]);
  }

  function placeholder(data, kind, n) {
    return data.call.placeholder + data.call.nouns[kind][0].replace(" file", "") + "-" + n +
      "." + data.call.placeholder_ext[kind];
  }

  function seconds(value) {
    var v = limitDenominator(exact(value), 1000);
    return v.d === 1n ? v.n.toString() : formatG(toDouble(v));
  }

  /* A count of files: a whole number, 0 or more (null when it is not one). */
  function wholeCount(value) {
    if (typeof value === "bigint") return value >= 0n ? Number(value) : null;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) return null;
    return value;
  }

  /* Seconds as an exact number, or null when they are not a finite number >= 0. */
  function secondsOf(value) {
    if (value === null || value === undefined || typeof value === "boolean") return null;
    if (typeof value === "number" && !isFinite(value)) return null;
    var x;
    try { x = exact(value); } catch (err) { return null; }
    return x.n < 0n ? null : x;
  }

  /* A seed as {int: BigInt}, {float: Number} or {text: String}, or null. */
  function seedOf(value) {
    if (value === null || value === undefined) return null;
    if (typeof value === "bigint") return { int: value };
    if (typeof value === "number") {
      return Number.isInteger(value) && Number.isSafeInteger(value)
        ? { int: BigInt(value) } : { float: value };
    }
    if (typeof value === "object") return value;
    var text = String(value);
    if (/^-?[0-9]+$/.test(text)) return { int: BigInt(text) };
    return { text: text };
  }

  function endpointOf(data, tier, mode) {
    for (var i = 0; i < data.endpoints.length; i++) {
      var e = data.endpoints[i];
      if (e.tier === tier && e.mode === mode) return e;
    }
    return null;
  }

  function reason(code, field, params) { return { code: code, field: field, params: params || {} }; }

  /* What fal would make of one file's address, as far as the address says (a type
   * outside the guide of a kind fal publishes no limits for only cautions). */
  function urlProblem(data, address, kind, label) {
    var m = URL_RE.exec(address);
    if (!m) return reason("url_scheme", label, { file: label });
    var names = data.limits.files[data.call.file_kinds[kind]].formats;
    var extensions = [], types = [];
    names.forEach(function (n) {
      var f = data.call.formats[n];
      if (f) { extensions = extensions.concat(f.extensions); types = types.concat(f.types); }
    });
    var params = { file: label, formats: either(names) };
    var code = data.call.unpublished.indexOf(kind) >= 0 ? "url_type_unpublished" : "url_type";
    if (m[1] === undefined) {
      var media = pyStrip(m[3]).toLowerCase();
      if (types.indexOf(media) < 0) {
        params.what = (media || "untyped") + " data";
        return reason(code, label, params);
      }
      return null;
    }
    var path = m[2], last = path.slice(path.lastIndexOf("/") + 1);
    var ext = last.indexOf(".") >= 0 ? last.slice(last.lastIndexOf(".") + 1).toLowerCase() : "";
    var known = data.call.media_extensions.slice();
    Object.keys(data.call.formats).forEach(function (n) {
      known = known.concat(data.call.formats[n].extensions);
    });
    if (ext && extensions.indexOf(ext) < 0 && known.indexOf(ext) >= 0) {
      params.what = "a ." + ext + " file";
      return reason(code, label, params);
    }
    if (extensions.indexOf(ext) < 0 && /^[a-z][a-z0-9]{1,4}$/.test(ext)) {
      params.what = "." + ext;  // .pdf, .html: a caution only
      return reason("url_type_unknown", label, params);
    }
    return null;
  }

  function durationOk(limits, value, priced) {
    if (value === "auto") return !priced && limits.duration.auto;
    if (typeof value === "number") {
      return Number.isInteger(value) && value >= limits.duration.min &&
        value <= limits.duration.max;
    }
    if (typeof value !== "string" || !/^[1-9][0-9]*$/.test(value)) return false;
    var n = Number(value);
    return n >= limits.duration.min && n <= limits.duration.max;
  }

  function videoRange(data, secs, out, videos) {
    var video = data.limits.files.video;
    var low = video.min_seconds_total, high = video.max_seconds_total;
    if (!(cmp(int(low), secs) <= 0 && cmp(secs, int(high)) <= 0)) {
      out.push(reason("video_seconds", "video_seconds",
        { videos: videos, seconds: seconds(secs), low: String(low), high: String(high) }));
    }
  }

  /* validate_call: every reason, errors and warnings, in the form's order. */
  function validate(data, call, priced) {
    var limits = data.limits, c = data.call, out = [];
    var ep = null;
    if (call.endpoint !== undefined && call.endpoint !== null) {
      ep = data.endpoints.filter(function (e) { return e.id === call.endpoint; })[0] || null;
      // the pages only ever name the six endpoints: no "did you mean" to find
      if (!ep) out.push(reason("endpoint", "endpoint", { value: show(call.endpoint), hint: "" }));
    } else {
      if (c.modes.indexOf(call.mode) < 0) {
        out.push(reason("mode", "mode", { choices: c.modes.join(", ") }));
      }
      if (c.tiers.indexOf(call.tier) < 0) {
        out.push(reason("tier", "tier", { choices: c.tiers.join(", ") }));
      }
      ep = endpointOf(data, call.tier, call.mode);
    }
    var mode = ep ? ep.mode : call.mode, tier = ep ? ep.tier : call.tier;
    if (call.prompt !== null && call.prompt !== undefined && !pyStrip(String(call.prompt))) {
      out.push(reason("prompt", "prompt"));
    }

    var res = null;
    for (var i = 0; i < limits.resolutions.length; i++) {
      if (limits.resolutions[i].name === call.resolution) { res = limits.resolutions[i]; break; }
    }
    if (res === null) {
      out.push(reason("resolution", "resolution", { value: show(call.resolution),
        choices: limits.resolutions.map(function (r) { return r.name; }).join(", ") }));
    } else if (res.tiers.length && res.tiers.indexOf(tier) < 0) {
      out.push(reason("resolution_tier", "resolution",
        { value: res.name, tiers: res.tiers.join(" and ") }));
    } else if (res.status !== "confirmed") {
      out.push(reason("resolution_unconfirmed", "resolution", { value: res.name, note: res.note }));
    }

    if (!durationOk(limits, call.duration, priced)) {
      out.push(reason("duration", "duration", { value: show(call.duration),
        low: String(limits.duration.min), high: String(limits.duration.max),
        or_auto: limits.duration.auto && !priced ? ", or auto" : "" }));
    }
    var ratioAuto = limits.aspect_auto && !priced;
    if (!(call.aspect_ratio === "auto" && ratioAuto) &&
        limits.aspect_ratios.indexOf(call.aspect_ratio) < 0) {
      out.push(reason("aspect_ratio", "aspect_ratio", { value: show(call.aspect_ratio),
        choices: limits.aspect_ratios.join(", "), or_auto: ratioAuto ? ", or auto" : "" }));
    }

    var seed = seedOf(call.seed);
    if (seed !== null) {
      if (seed.int === undefined) {
        out.push(reason("seed_type", "seed", { value: show(seed) }));
      } else if (seed.int < 0n || seed.int > BigInt(c.seed_max)) {
        out.push(reason("seed_range", "seed", { value: seed.int.toString(), high: c.seed_max }));
      }
    }

    var example = false;
    (call.files || []).forEach(function (file) {
      if (file[2].indexOf(c.placeholder) === 0) { example = true; return; }
      var problem = urlProblem(data, file[2], file[0], file[1]);
      if (problem) out.push(problem);
    });

    var counts = { images: 0, videos: 0, audio: 0 };
    var hasCounts = call.counts !== null && call.counts !== undefined;
    if (mode === "reference" && hasCounts) {
      c.kinds.forEach(function (k) {
        counts[k[0]] = wholeCount(call.counts[k[0]] === undefined ? 0 : call.counts[k[0]]);
        if (counts[k[0]] === null) {
          out.push(reason("count_type", k[1], { nouns: c.nouns[k[0]][1] }));
          counts[k[0]] = 0;
        }
      });
    }
    var counted = call.video_counted !== false;
    var videoSeconds = secondsOf(call.video_seconds), audioSeconds = secondsOf(call.audio_seconds);
    [["video", videoSeconds], ["audio", audioSeconds]].forEach(function (pair) {
      var judged = (mode === "reference" && hasCounts) ||
        (pair[0] === "video" && !hasCounts && counted);
      if (judged && pair[1] === null) {
        out.push(reason("seconds_type", pair[0] + "_seconds",
          { kind: hasCounts ? pair[0] : "video input" }));
      }
    });

    if (!hasCounts) {
      var positive = videoSeconds !== null && videoSeconds.n !== 0n;
      var hasVideo = call.reference_video !== undefined && call.reference_video !== null
        ? Boolean(call.reference_video) : positive && counted;
      if (positive && counted && !hasVideo) {
        out.push(reason("seconds_without_video", "video_seconds"));
      } else if (hasVideo && ep && mode !== "reference") {
        out.push(reason("video_inputs", "video_seconds", { endpoint: ep.id }));
      } else if (hasVideo && videoSeconds !== null && counted) {
        videoRange(data, videoSeconds, out, "video inputs");
      }
    } else if (mode === "reference") {
      c.kinds.forEach(function (k) {
        var n = counts[k[0]], most = limits.references[k[0]];
        if (n > most) {
          out.push(reason("count_max", k[1], { count: countOf(data, n, k[0]), most: String(most) }));
        }
      });
      var total = counts.images + counts.videos + counts.audio;
      if (total === 0) {
        out.push(reason("references_none", ""));
      } else if (total > limits.references.total) {
        out.push(reason("references_total", "",
          { total: String(total), most: String(limits.references.total) }));
      }
      if (limits.audio_needs_visual && counts.audio && !(counts.images || counts.videos)) {
        out.push(reason("audio_alone", "audio_urls"));
      }
      if (counts.videos && videoSeconds !== null && counted) {
        videoRange(data, videoSeconds, out, "videos");
      }
      var audioMost = limits.files.audio.max_seconds_total;
      if (counts.audio && audioMost !== undefined && audioMost !== null &&
          audioSeconds !== null && cmp(audioSeconds, int(audioMost)) > 0) {
        out.push(reason("audio_seconds", "audio_seconds",
          { seconds: seconds(audioSeconds), most: String(audioMost) }));
      } else if (counts.audio && audioMost !== undefined && audioMost !== null &&
          audioSeconds !== null && audioSeconds.n === 0n) {
        out.push(reason("audio_seconds_unknown", "audio_seconds", { most: String(audioMost) }));
      }
    }
    if (example) out.push(reason("url_example", ""));
    if (typeof call.prompt === "string") tags(data, call.prompt, mode, counts, out);
    return out;
  }

  function tags(data, prompt, mode, counts, out) {
    var named = { images: [], videos: [], audio: [] };
    var kindOf = {};
    data.call.kinds.forEach(function (k) { kindOf[k[2]] = k[0]; });
    TAG.lastIndex = 0;
    var match, cased = [], seen = {};
    while ((match = TAG.exec(prompt)) !== null) {
      var word = match[1], tag = word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
      var list = named[kindOf[tag]], number = digitsValue(match[2]);
      if (list.indexOf(number) < 0) list.push(number);
      if (word !== tag && !seen[match[0]]) {
        seen[match[0]] = true;
        cased.push(reason("tag_case", "prompt", { written: match[0], tag: "@" + tag + match[2] }));
      }
    }
    function sorted(list) {
      return list.slice().sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
    }
    if (mode !== "reference") {
      var all = [];
      data.call.kinds.forEach(function (k) {
        sorted(named[k[0]]).forEach(function (n) { all.push("@" + k[2] + n); });
      });
      if (all.length) out.push(reason("tags_ignored", "prompt", { tag: all[0] }));
      return;
    }
    cased.forEach(function (r) { out.push(r); });
    data.call.kinds.forEach(function (k) {
      var kind = k[0], tag = k[2], most = BigInt(counts[kind]);
      sorted(named[kind]).forEach(function (n) {
        if (n < 1n || n > most) {
          out.push(reason("tag_unknown", "prompt",
            { tag: "@" + tag + n, count: countOf(data, counts[kind], kind) }));
        }
      });
      var attached = Math.min(counts[kind], data.limits.references[kind]);
      for (var n = 1; n <= attached; n++) {
        if (named[kind].indexOf(BigInt(n)) < 0) {
          out.push(reason("tag_unused", "prompt", { tag: "@" + tag + n }));
        }
      }
    });
  }

  /* -- one render's price (pricing.py's quote, for the estimator) ------------- */

  /* One render's tokens and cost; throws Error with quote_problem's message. */
  function quote(data, pick) {
    var ep = pick.endpoint ? { id: pick.endpoint } : endpointOf(data, pick.tier, pick.mode);
    if (!ep) throw new Error("no " + pick.mode + " endpoint on the " + pick.tier + " tier");
    var given = pick.video_input_seconds === undefined || pick.video_input_seconds === ""
      ? "0" : pick.video_input_seconds;
    var ref = pick.reference_video === undefined ? null : Boolean(pick.reference_video);
    var extra = secondsOf(given);
    var counted = !(ref && extra !== null && extra.n === 0n);
    var call = { endpoint: ep.id, duration: pick.duration, resolution: pick.resolution,
      aspect_ratio: pick.aspect_ratio, video_seconds: given, reference_video: ref,
      video_counted: counted, counts: null, prompt: null, seed: null, files: [] };
    var reasons = validate(data, call, true);
    for (var i = 0; i < reasons.length; i++) {
      if (refuses(data, reasons[i], true)) throw new Error(message(data, reasons[i]));
    }
    var found = data.endpoints.filter(function (e) { return e.id === ep.id; })[0];
    var hasVideo = ref === null ? extra.n > 0n : ref;
    var p = price(data, found, Number(pick.duration), pick.resolution, pick.aspect_ratio,
      extra, hasVideo);
    return {
      endpoint: found.id,
      tier: found.tier,
      tokens: toNumber(p.tokens),
      cost_usd: toNumber(p.cost),
      per_second_usd: toNumber(p.perSecond),
      display: p.display
    };
  }

  /* -- the builder's request (request.py's check_request) ---------------------- */

  function address(text) {
    return text === null || text === undefined ? "" : pyStrip(String(text), " \t\n\r\f");
  }

  /* request_files: the file inputs to send, and each file as the validator judges it. */
  function requestFiles(data, req, counts) {
    var args = {}, files = [];
    if (req.mode === "image") {
      var url = address(req.image_url) || placeholder(data, "images", 1);
      args.image_url = url;
      files.push(["start_image", data.builder.file_labels.image_url, url]);
      if (req.end_image) {
        url = address(req.end_image_url) || placeholder(data, "images", 2);
        args.end_image_url = url;
        files.push(["images", data.builder.file_labels.end_image_url, url]);
      }
    }
    if (req.mode === "reference") {
      data.call.kinds.forEach(function (k) {
        var kind = k[0], key = k[1], tag = k[2], given = req[key] || [], urls = [];
        for (var n = 1; n <= counts[kind]; n++) {
          var u = n <= given.length ? address(given[n - 1]) : "";
          urls.push(u || placeholder(data, kind, n));
          files.push([kind, "@" + tag + n, urls[urls.length - 1]]);
        }
        if (urls.length) args[key] = urls;
      });
    }
    return { args: args, files: files };
  }

  function checkRequest(data, request) {
    var defaults = data.builder.defaults, req = {};
    Object.keys(defaults).forEach(function (k) {
      req[k] = request[k] === undefined ? defaults[k] : request[k];
    });
    var counts = {};
    data.call.kinds.forEach(function (k) { counts[k[0]] = wholeCount(req[k[0]]) || 0; });
    var made = requestFiles(data, req, counts);
    var seed = seedOf(req.seed);
    var call = { mode: req.mode, tier: req.tier, prompt: String(req.prompt),
      duration: req.duration, resolution: req.resolution, aspect_ratio: req.aspect_ratio,
      seed: seed, counts: { images: req.images, videos: req.videos, audio: req.audio },
      files: made.files, video_seconds: req.video_seconds, audio_seconds: req.audio_seconds };
    var reasons = validate(data, call, false);
    var errors = [], warnings = [], unconfirmed = false;
    reasons.forEach(function (r) {
      (refuses(data, r, false) ? errors : warnings).push(sentence(message(data, r)));
      if (r.code === "resolution_unconfirmed") unconfirmed = true;
    });
    var ep = endpointOf(data, req.tier, req.mode);
    var endpoint = ep ? ep.id : "";

    var args = { prompt: String(req.prompt), duration: String(req.duration),
      resolution: req.resolution, aspect_ratio: req.aspect_ratio,
      generate_audio: Boolean(req.generate_audio) };
    if (seed !== null) {
      args.seed = seed.int !== undefined ? seed.int : seed.float !== undefined ? seed.float
        : seed.text;
    }
    Object.keys(made.args).forEach(function (k) { args[k] = made.args[k]; });

    var verdict = {
      status: errors.length ? "refused" : unconfirmed ? "unconfirmed" : "ok",
      errors: errors, warnings: warnings, endpoint: endpoint, arguments: args,
      price: null, rule: "", reasons: reasons
    };
    var autoDuration = req.duration === "auto", autoRatio = req.aspect_ratio === "auto";
    var basis = data.builder.price_basis;
    if (errors.length) {
      verdict.rule = basis.refused;
    } else if (unconfirmed) {
      verdict.rule = fill(basis.unconfirmed, { resolution: req.resolution });
    } else if (autoDuration || autoRatio) {
      verdict.rule = fill(basis.auto, { what: autoDuration ? "duration" : "aspect ratio" });
    } else {
      var referenceVideo = req.mode === "reference" && counts.videos > 0;
      var extra = referenceVideo ? secondsOf(req.video_seconds) : int(0);
      var d = Number(req.duration);
      var p = price(data, ep, d, req.resolution, req.aspect_ratio, extra, referenceVideo);
      verdict.price = p.display;
      var terms = { output: String(d), width: String(p.width), height: String(p.height),
        frame_rate: String(data.frame_rate), divisor: String(data.tokens_divisor),
        rate: "$" + data.tiers[ep.tier].rate_per_1k_tokens,
        input: referenceVideo ? seconds(extra) : "",
        multiplier: data.reference_video_multiplier };
      verdict.rule = fill(referenceVideo ? basis.reference : basis.plain, terms);
    }
    return verdict;
  }

  /* -- the emitters (snippets.py) ------------------------------------------------ */

  /* json.dumps of a string: ensure_ascii as Python's flag. */
  function jsonString(s, ensureAscii) {
    var out = "\"";
    for (var i = 0; i < s.length; i++) {
      var ch = s[i], c = s.charCodeAt(i);
      if (ch === "\"") out += "\\\"";
      else if (ch === "\\") out += "\\\\";
      else if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (ch === "\t") out += "\\t";
      else if (ch === "\b") out += "\\b";
      else if (ch === "\f") out += "\\f";
      else if (c < 0x20 || (ensureAscii && c > 0x7e)) {
        out += "\\u" + c.toString(16).padStart(4, "0");
      } else out += ch;
    }
    return out + "\"";
  }

  function scalar(value, ensureAscii) {
    if (value === null || value === undefined) return "null";
    if (value === true) return "true";
    if (value === false) return "false";
    if (typeof value === "bigint") return value.toString();
    if (typeof value === "number") return pyFloat(value);
    return jsonString(String(value), ensureAscii);
  }

  /* json.dumps(value, indent=2, ensure_ascii=False) */
  function dumps(value, indent, level) {
    level = level || 0;
    var pad = " ".repeat(indent * level), inner = " ".repeat(indent * (level + 1));
    if (Array.isArray(value)) {
      if (!value.length) return "[]";
      return "[\n" + value.map(function (v) { return inner + dumps(v, indent, level + 1); })
        .join(",\n") + "\n" + pad + "]";
    }
    if (value !== null && typeof value === "object") {
      var keys = Object.keys(value);
      if (!keys.length) return "{}";
      return "{\n" + keys.map(function (k) {
        return inner + jsonString(k, false) + ": " + dumps(value[k], indent, level + 1);
      }).join(",\n") + "\n" + pad + "}";
    }
    return scalar(value, false);
  }

  function length(text) { return Array.from(text).length; }

  /* snippets.pieces: text cut at spaces into pieces of about `width` characters. */
  function pieces(text, width) {
    if (length(text) <= width) return [text];
    var out = [], current = "";
    (text.match(/[^ ]+ *| +/g) || []).forEach(function (token) {
      if (current && length(current) + length(token) > width) {
        out.push(current);
        current = "";
      }
      current += token;
    });
    out.push(current);
    return out;
  }

  /* py_literal: JSON data as a Python literal, four spaces per level */
  function pyLiteral(value, indent, width) {
    indent = indent || 0;
    width = width || 64;
    var pad = " ".repeat(indent), inner = " ".repeat(indent + 4);
    if (value === true) return "True";
    if (value === false) return "False";
    if (value === null || value === undefined) return "None";
    if (typeof value === "string") {
      var parts = pieces(value, width);
      if (parts.length === 1) return jsonString(value, false);
      return "(\n" + parts.map(function (p) { return inner + jsonString(p, false); })
        .join("\n") + "\n" + pad + ")";
    }
    if (Array.isArray(value)) {
      if (!value.length) return "[]";
      return "[\n" + value.map(function (v) { return inner + pyLiteral(v, indent + 4, width); })
        .join(",\n") + ",\n" + pad + "]";
    }
    if (typeof value === "object") {
      return "{\n" + Object.keys(value).map(function (k) {
        return inner + jsonString(k, true) + ": " + pyLiteral(value[k], indent + 4, width);
      }).join(",\n") + ",\n" + pad + "}";
    }
    return scalar(value, false);
  }

  function jsonCode(args) { return dumps(args, 2) + "\n"; }

  function curlCode(data, endpoint, args) {
    return comment(data.builder.curl_note, "#") +
      "curl -X POST \"https://" + data.builder.queue_host + "/" + endpoint + "\" \\\n" +
      "  -H \"Authorization: Key $FAL_KEY\" \\\n" +
      "  -H \"Content-Type: application/json\" \\\n" +
      "  --data-binary @- <<'JSON'\n" + jsonCode(args) + "JSON\n";
  }

  /* Each line of `text` as a comment behind `mark` (snippets._comment). */
  function comment(text, mark) {
    return text.split("\n").map(function (line) { return mark + " " + line + "\n"; }).join("");
  }

  function pythonCode(data, endpoint, args) {
    var keep = fill(data.builder.keep_id, {
      status: "fal_client.status(endpoint, request_id)",
      fetch: "fal_client.result(endpoint, request_id)"
    });
    return "import os\nimport time\n\nimport fal_client\nimport httpx\n\n" +
      "endpoint = " + jsonString(endpoint, true) + "\n" +
      comment(data.builder.start_note, "#") +
      "handle = fal_client.submit(\n" +
      "    endpoint,\n" +
      "    arguments=" + pyLiteral(args, 4, data.builder.wrap) + ",\n" +
      "    start_timeout=" + data.builder.start_timeout + ",\n" +
      ")\n" +
      comment(keep, "#") +
      "print(\"request id:\", handle.request_id)\n\n" +
      "give_up_at = time.monotonic() + " + data.builder.render_deadline + "  # " +
      data.builder.deadline_note + "\n" +
      "# (read at each status fal answers: fal_client's own retries of a poll can pass it)\n" +
      "seen = set()  # " + data.builder.new_lines + "\n" +
      "PASSING = (408, 409, 429)  # with any 5xx: answers that asking again later may change\n" +
      "try:\n" +
      "    for update in handle.iter_events(with_logs=True, interval=1.0):  # a poll a second\n" +
      "        if isinstance(update, (fal_client.InProgress, fal_client.Completed)) and update.logs:\n" +
      "            for log in update.logs:\n" +
      "                line = (log.get(\"timestamp\"), log[\"message\"])\n" +
      "                if line not in seen:\n" +
      "                    seen.add(line)\n" +
      "                    print(log[\"message\"])\n" +
      "        if not isinstance(update, fal_client.Completed) and time.monotonic() > give_up_at:\n" +
      "            raise SystemExit(f\"{handle.request_id}: not finished in time: fetch it later by this id\")\n" +
      "except httpx.TransportError as err:  # no answer, after fal_client's own tries\n" +
      "    raise SystemExit(f\"{handle.request_id}: no status ({err!r}): ask again later by this id\")\n" +
      "except fal_client.FalClientHTTPError as err:\n" +
      "    # passing, unless it is a 504 saying our start_timeout ran out; a 403 is a locked account\n" +
      "    ran_out = err.status_code == 504 and \"x-fal-request-timeout-type\" in {\n" +
      "        key.lower() for key in err.response_headers or {}}\n" +
      "    passing = (err.status_code in PASSING or err.status_code >= 500) and not ran_out\n" +
      "    later = \": ask again later by this id\" if passing else \"\"\n" +
      "    raise SystemExit(f\"{handle.request_id}: no status: {err.status_code}: {err.message}{later}\")\n\n" +
      "if update.error:  # a failed render can still end COMPLETED: fal's words, the id\n" +
      "    raise SystemExit(f\"{handle.request_id}: {update.error_type}: {update.error}\")\n" +
      "try:\n" +
      "    result = handle.get()  # one more status check, then the result\n" +
      "except fal_client.FalClientHTTPError as err:\n" +
      comment(data.builder.result_note, "    #") +
      "    passing = err.status_code in PASSING or err.status_code >= 500\n" +
      "    again = \": fetch it again by this id\" if passing else \"\"\n" +
      "    raise SystemExit(f\"{handle.request_id}: {err.status_code}: {err.message}{again}\")\n" +
      "except httpx.TransportError as err:  # no answer: the render is done, fetch it again\n" +
      "    raise SystemExit(f\"{handle.request_id}: no answer for the status or the result ({err!r}): \"\n" +
      "                     \"fetch it again by this id\")\n" +
      "# " + data.builder.keep_file + "\n" +
      data.builder.download_py;
  }

  function typescriptCode(data, endpoint, args) {
    var body = dumps(args, 2).split("\n").join("\n  ");
    var keep = fill(data.builder.keep_id, {
      status: "fal.queue.status(endpoint, { requestId })",
      fetch: "fal.queue.result(endpoint, { requestId })"
    });
    return "import { open, rename, rm } from \"node:fs/promises\";\n\n" +
      "import { ApiError, fal } from \"@fal-ai/client\";\n\n" +
      "fal.config({ credentials: process.env.FAL_KEY });\n\n" +
      "const endpoint = " + jsonString(endpoint, true) + ";\n" +
      comment(data.builder.ts_submit_note, "//") +
      "const { request_id: requestId } = await fal.queue.submit(endpoint, {\n" +
      "  input: " + body + ",\n" +
      "  startTimeout: " + data.builder.start_timeout + ", // seconds it may wait in fal's queue before it starts: our figure\n" +
      "});\n" +
      comment(keep, "//") +
      "console.log(\"request id:\", requestId);\n\n" +
      "const giveUp = setTimeout(() => {\n" +
      "  console.error(`${requestId}: not finished in time: fetch it later by this id`);\n" +
      "  process.exit(1);\n" +
      "}, " + data.builder.render_deadline + " * 1000); // " + data.builder.deadline_note + "\n" +
      "const seen = new Set<string>(); // " + data.builder.new_lines + "\n" +
      "const PASSING = [408, 409, 429]; // with any 5xx: answers asking again may change\n" +
      "const ended = await fal.queue.subscribeToStatus(endpoint, {\n" +
      "  requestId,\n" +
      "  logs: true,\n" +
      "  pollInterval: 1000, // a poll a second (the client's default is two a second)\n" +
      "  onQueueUpdate: (update) => {\n" +
      "    if (update.status === \"IN_QUEUE\") return;\n" +
      "    for (const log of update.logs ?? []) {\n" +
      "      const line = `${log.timestamp} ${log.message}`;\n" +
      "      if (!seen.has(line)) {\n" +
      "        seen.add(line);\n" +
      "        console.log(log.message);\n" +
      "      }\n" +
      "    }\n" +
      "  },\n" +
      "}).catch((err) => { // no status, after the client's own tries\n" +
      "  // passing, or no answer, unless our start_timeout ran out; a 403 is a locked\n" +
      "  // account: stop, call a person\n" +
      "  const passing = !(err instanceof ApiError) ||\n" +
      "    ((PASSING.includes(err.status) || err.status >= 500) && !err.isUserTimeout);\n" +
      "  const later = passing ? \": ask again later by this id\" : \"\";\n" +
      "  throw new Error(`${requestId}: no status (${String(err)})${later}`);\n" +
      "});\n" +
      "clearTimeout(giveUp);\n" +
      "// a failed render can still end COMPLETED with error set, a field fal sends and the\n" +
      "// client's types leave out: fal's words, the id\n" +
      "if (\"error\" in ended && ended.error) {\n" +
      "  throw new Error(`${requestId}: ${String(ended.error)}`);\n" +
      "}\n" +
      "let result;\n" +
      "try {\n" +
      "  result = await fal.queue.result(endpoint, { requestId });\n" +
      "} catch (err) {\n" +
      comment(data.builder.result_note, "  //") +
      "  const passing = !(err instanceof ApiError) || PASSING.includes(err.status) ||\n" +
      "    err.status >= 500;\n" +
      "  const again = passing ? \": fetch it again by this id\" : \"\";\n" +
      "  throw new Error(`${requestId}: ${String(err)}${again}`);\n" +
      "}\n" +
      "// " + data.builder.keep_file + "\n" +
      data.builder.download_ts;
  }

  function webhookCode(data, endpoint, args, verifyUrl) {
    return "import fal_client\n\n" +
      "# fal POSTs the result to webhook_url when the render ends, and may\n" +
      "# deliver it more than once. Verify each delivery before you trust it:\n" +
      "# " + verifyUrl + "\n" +
      comment(data.builder.start_note, "#") +
      "handle = fal_client.submit(\n" +
      "    " + jsonString(endpoint, true) + ",\n" +
      "    arguments=" + pyLiteral(args, 4, data.builder.wrap) + ",\n" +
      "    webhook_url=" + jsonString(data.builder.webhook_url, true) + ",\n" +
      "    start_timeout=" + data.builder.start_timeout + ",\n" +
      ")\n" +
      "print(handle.request_id)\n";
  }

  /* Every variant, by id (snippets.all_code). */
  function allCode(data, endpoint, args, verifyUrl) {
    return { json: jsonCode(args), curl: curlCode(data, endpoint, args),
      python: pythonCode(data, endpoint, args), typescript: typescriptCode(data, endpoint, args),
      webhook: webhookCode(data, endpoint, args, verifyUrl) };
  }

  var api = {
    // arithmetic
    decimal: decimal, exact: exact, fixed: fixed, limitDenominator: limitDenominator,
    toDouble: toDouble, formatG: formatG, pyFloat: pyFloat,
    // the validator and its messages
    validate: validate, message: message, sentence: sentence, refuses: refuses,
    placeholder: placeholder,
    // pricing
    quote: quote,
    // requests
    checkRequest: checkRequest,
    // code
    jsonCode: jsonCode, curlCode: curlCode, pythonCode: pythonCode,
    typescriptCode: typescriptCode, webhookCode: webhookCode, allCode: allCode,
    pyLiteral: pyLiteral
  };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  root.Seedance = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
