/* The shared core of the pricing estimator and the request builder: plain
 * JavaScript, no framework, no network, no DOM. Loaded on the pricing page
 * (before estimator.js) and on the builder page (before builder.js); in node
 * it is a module (tests/test_estimator.py and tests/test_builder.py run it).
 *
 * - The token formula, exactly: fractions of BigInts, rounded half up only
 *   for display (4 decimals per second, 2 for a total, whole tokens), as
 *   scripts/seedpress/pricing.py does. `quote(data, pick)` is the estimator's.
 * - `checkRequest(data, request)` mirrors check_request in
 *   scripts/seedpress/request.py: the same status, the same error and
 *   warning sentences in the same order, the same endpoint, the same
 *   arguments (same key order, same placeholder URLs), the same price and
 *   rule text. `data` is the site's assets/pricing.json.
 * - `jsonCode`, `pythonCode`, `typescriptCode` and `pyLiteral` mirror the
 *   emitters of request.py byte for byte (Python's json.dumps included).
 *
 * Values in a request: `seed` is null (fal picks one), a BigInt, an integer
 * Number or a string of ASCII digits (a Python int), or a non-integer Number
 * (a Python float, which the check refuses); `video_seconds` and
 * `audio_seconds` are a Number (a Python float, taken at its exact binary
 * value), a BigInt, or a decimal string such as "2.5" (a Python Fraction of
 * that text, exact). Counts are whole Numbers. In `arguments`, an integer
 * seed is a BigInt: print it with the emitters, not JSON.stringify. */
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

  function findEndpoint(data, tier, mode) {
    for (var i = 0; i < data.endpoints.length; i++) {
      var e = data.endpoints[i];
      if (e.tier === tier && e.mode === mode) return e;
    }
    throw new Error("no " + mode + " endpoint on the " + tier + " tier");
  }

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

  /* One render's tokens and cost (the estimator); throws Error with a reader's message. */
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
    var p = price(data, ep, duration, pick.resolution, pick.aspect_ratio, extra, ref);
    return {
      endpoint: ep.id,
      tier: ep.tier,
      tokens: toNumber(p.tokens),
      cost_usd: toNumber(p.cost),
      per_second_usd: toNumber(p.perSecond),
      display: p.display
    };
  }

  /* -- Python's text rules ------------------------------------------------ */

  /* str.strip(): the characters Python calls whitespace (not JavaScript's trim). */
  var PY_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003" +
    "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";
  function pyStrip(s) {
    var a = 0, b = s.length;
    while (a < b && PY_SPACE.indexOf(s[a]) >= 0) a++;
    while (b > a && PY_SPACE.indexOf(s[b - 1]) >= 0) b--;
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

  /* -- the request check (request.py's check_request) ---------------------- */

  var MODES = ["text", "image", "reference"];
  /* kind -> [input field, prompt tag], in request.py's order */
  var REFERENCE_KINDS = [["images", "image_urls", "Image"], ["videos", "video_urls", "Video"],
    ["audio", "audio_urls", "Audio"]];
  var KIND_OF_TAG = { Image: "images", Video: "videos", Audio: "audio" };
  var NOUN = { images: ["image", "images"], videos: ["video", "videos"],
    audio: ["audio file", "audio files"] };
  var EXT = { images: "png", videos: "mp4", audio: "mp3" };
  var TAG = /@(Image|Video|Audio)(\p{Nd}+)/gu;
  var DEFAULTS = {
    mode: "text", tier: "standard", resolution: "720p", aspect_ratio: "16:9", duration: "5",
    generate_audio: true, seed: null, prompt: "", images: 0, videos: 0, audio: 0,
    video_seconds: 0, audio_seconds: 0, end_image: false
  };

  function count(n, kind) {
    return n + " " + (String(n) === "1" ? NOUN[kind][0] : NOUN[kind][1]);
  }

  function placeholder(kind, n) {
    return "https://example.com/your-" + NOUN[kind][0].replace(" file", "") + "-" + n + "." +
      EXT[kind];
  }

  function seconds(value) {
    var v = limitDenominator(exact(value), 1000);
    return v.d === 1n ? v.n.toString() : formatG(toDouble(v));
  }

  function endpointId(data, tier, mode) {
    for (var i = 0; i < data.endpoints.length; i++) {
      var e = data.endpoints[i];
      if (e.tier === tier && e.mode === mode) return e.id;
    }
    return "";
  }

  /* A seed as {int: BigInt} or {float: Number} or null (see the header). */
  function seedOf(value) {
    if (value === null || value === undefined || value === "") return null;
    if (typeof value === "bigint") return { int: value };
    if (typeof value === "number") {
      return Number.isInteger(value) && Number.isSafeInteger(value)
        ? { int: BigInt(value) } : { float: value };
    }
    var text = String(value).trim();
    if (text === "") return null;
    if (/^[-+]?[0-9]+$/.test(text)) return { int: BigInt(text) };
    return { float: Number(text) };
  }

  /* A count of files: a whole number, 0 or more (null when it is not one). */
  function wholeCount(value) {
    if (typeof value === "bigint") return value >= 0n ? Number(value) : null;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) return null;
    return value;
  }

  /* Seconds as an exact number, or null when they are not a finite number >= 0. */
  function secondsOf(value) {
    if (value === null || typeof value === "boolean") return null;
    if (typeof value === "number" && !isFinite(value)) return null;
    var x;
    try { x = exact(value); } catch (err) { return null; }
    return x.n < 0n ? null : x;
  }

  function checkRequest(data, request) {
    var req = {};
    Object.keys(DEFAULTS).forEach(function (k) {
      req[k] = request[k] === undefined ? DEFAULTS[k] : request[k];
    });
    var limits = data.limits;
    var tiers = data.tier_order || Object.keys(data.tiers);
    var mode = String(req.mode), tier = String(req.tier);
    var resolutionName = String(req.resolution), ratio = String(req.aspect_ratio);
    var duration = String(req.duration), prompt = String(req.prompt);
    var seed = seedOf(req.seed);
    var counts = { images: wholeCount(req.images), videos: wholeCount(req.videos),
      audio: wholeCount(req.audio) };
    var errors = [], warnings = [], unconfirmed = false;

    if (MODES.indexOf(mode) < 0) errors.push("Pick an endpoint kind: " + MODES.join(", ") + ".");
    if (tiers.indexOf(tier) < 0) errors.push("Pick a tier: " + tiers.join(", ") + ".");
    var endpoint = endpointId(data, tier, mode);
    if (!pyStrip(prompt)) errors.push("Write a prompt: fal requires one.");

    var resolution = null;
    for (var i = 0; i < limits.resolutions.length; i++) {
      if (limits.resolutions[i].name === resolutionName) { resolution = limits.resolutions[i]; break; }
    }
    if (resolution === null) {
      errors.push("Resolution " + resolutionName + " is not one fal offers (" +
        limits.resolutions.map(function (r) { return r.name; }).join(", ") + ").");
    } else if (resolution.tiers.length && resolution.tiers.indexOf(tier) < 0) {
      errors.push(resolutionName + " is listed for the " + resolution.tiers.join(" and ") +
        " tier only.");
    } else if (resolution.status !== "confirmed") {
      unconfirmed = true;
      warnings.push(resolutionName + " is listed on some fal pages for the standard " +
        "endpoints only and is not confirmed: fal may refuse it, and we do not price it.");
    }

    var autoDuration = duration === "auto";
    var durationValue = null;
    if (!autoDuration) {
      if (/^\p{Nd}+$/u.test(duration)) durationValue = digitsValue(duration);
      if (durationValue === null || durationValue < BigInt(limits.duration.min) ||
          durationValue > BigInt(limits.duration.max)) {
        errors.push("Duration is whole seconds from " + limits.duration.min + " to " +
          limits.duration.max + ", or auto.");
      }
    }
    var autoRatio = ratio === "auto";
    if (!autoRatio && limits.aspect_ratios.indexOf(ratio) < 0) {
      errors.push("Aspect ratio is one of " + limits.aspect_ratios.join(", ") + ", or auto.");
    }

    if (seed !== null && !(seed.int !== undefined && seed.int >= 0n &&
        seed.int <= BigInt(limits.seed_max))) {
      errors.push("A seed is a whole number from 0 to " + limits.seed_max + ".");
    }

    var videoSeconds = secondsOf(req.video_seconds), audioSeconds = secondsOf(req.audio_seconds);
    if (mode === "reference") {
      REFERENCE_KINDS.forEach(function (k) {
        if (counts[k[0]] === null) {
          errors.push("The number of " + NOUN[k[0]][1] + " is a whole number, 0 or more.");
          counts[k[0]] = 0;
        }
      });
      if (videoSeconds === null) errors.push("The video seconds are a number, 0 or more.");
      if (audioSeconds === null) errors.push("The audio seconds are a number, 0 or more.");
      REFERENCE_KINDS.forEach(function (k) {
        var kind = k[0], n = counts[kind], most = limits.references[kind];
        if (n > most) errors.push(count(n, kind) + ": a request takes at most " + most + ".");
      });
      var total = counts.images + counts.videos + counts.audio;
      if (total === 0) {
        errors.push("Reference-to-video needs at least one image, video or audio file.");
      } else if (total > limits.references.total) {
        errors.push(total + " files in all: a request takes at most " +
          limits.references.total + ".");
      }
      if (limits.audio_needs_visual && counts.audio !== 0 &&
          !(counts.images !== 0 || counts.videos !== 0)) {
        errors.push("Audio needs at least one image or video beside it.");
      }
      var video = limits.files.video;
      if (counts.videos !== 0 && videoSeconds !== null) {
        var low = video.min_seconds_total, high = video.max_seconds_total;
        if (!(cmp(int(low), videoSeconds) <= 0 && cmp(videoSeconds, int(high)) <= 0)) {
          errors.push("The videos run " + seconds(videoSeconds) + " s together: " +
            "they must run " + low + " to " + high + " s.");
        }
      }
      var audioMost = limits.files.audio.max_seconds_total;
      if (counts.audio !== 0 && audioMost !== undefined && audioMost !== null &&
          audioSeconds !== null && cmp(audioSeconds, int(audioMost)) > 0) {
        errors.push("The audio files run " + seconds(audioSeconds) + " s together: " +
          "at most " + audioMost + " s.");
      }
    }

    var named = { images: [], videos: [], audio: [] };
    TAG.lastIndex = 0;
    var match;
    while ((match = TAG.exec(prompt)) !== null) {
      var list = named[KIND_OF_TAG[match[1]]], number = digitsValue(match[2]);
      if (list.indexOf(number) < 0) list.push(number);
    }
    function sorted(list) {
      return list.slice().sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
    }
    if (mode !== "reference") {
      var tags = [];
      REFERENCE_KINDS.forEach(function (k) {
        sorted(named[k[0]]).forEach(function (n) { tags.push("@" + k[2] + n); });
      });
      if (tags.length) {
        warnings.push("Only reference-to-video reads file tags such as " + tags[0] +
          ": this endpoint takes them as words of the prompt.");
      }
    } else {
      REFERENCE_KINDS.forEach(function (k) {
        var kind = k[0], tag = k[2], most = BigInt(counts[kind]);
        sorted(named[kind]).forEach(function (n) {
          if (n < 1n || n > most) {
            warnings.push("The prompt names @" + tag + n + ", but the request carries " +
              count(counts[kind], kind) + ".");
          }
        });
        for (var n = 1; n <= counts[kind]; n++) {
          if (named[kind].indexOf(BigInt(n)) < 0) {
            warnings.push("@" + tag + n + " is attached but the prompt never names it.");
          }
        }
      });
    }

    var args = { prompt: prompt, duration: duration, resolution: resolutionName,
      aspect_ratio: ratio, generate_audio: Boolean(req.generate_audio) };
    if (seed !== null) args.seed = seed.int !== undefined ? seed.int : seed.float;
    if (mode === "image") {
      args.image_url = placeholder("images", 1);
      if (req.end_image) args.end_image_url = placeholder("images", 2);
    }
    if (mode === "reference") {
      REFERENCE_KINDS.forEach(function (k) {
        var kind = k[0], key = k[1];
        if (counts[kind] !== 0) {
          var urls = [];
          for (var n = 1; n <= counts[kind]; n++) urls.push(placeholder(kind, n));
          args[key] = urls;
        }
      });
    }

    var verdict = {
      status: errors.length ? "refused" : unconfirmed ? "unconfirmed" : "ok",
      errors: errors, warnings: warnings, endpoint: endpoint, arguments: args,
      price: null, rule: ""
    };
    if (errors.length) {
      verdict.rule = "Not priced: fal would refuse this request.";
    } else if (unconfirmed) {
      verdict.rule = "Not priced: " + resolutionName + " is not confirmed.";
    } else if (autoDuration || autoRatio) {
      verdict.rule = "Not priced: with auto, fal picks the " +
        (autoDuration ? "duration" : "aspect ratio") + " and bills what it renders. " +
        "Set it to see the price.";
    } else {
      var referenceVideo = mode === "reference" && counts.videos > 0;
      var extra = referenceVideo ? videoSeconds : int(0);
      var ep = data.endpoints.filter(function (e) { return e.id === endpoint; })[0];
      var d = Number(durationValue);
      var p = price(data, ep, d, resolutionName, ratio, extra, referenceVideo);
      verdict.price = p.display;
      var rate = "$" + data.tiers[ep.tier].rate_per_1k_tokens;
      if (referenceVideo) {
        verdict.rule = "fal's rule for video inputs: (" + seconds(extra) + " s of input + " +
          d + " s of output) x " + p.width + " x " + p.height + " x " + data.frame_rate +
          " / " + data.tokens_divisor + " tokens at " + rate + " per 1,000, times " +
          data.reference_video_multiplier + ".";
      } else {
        verdict.rule = d + " s x " + p.width + " x " + p.height + " x " + data.frame_rate +
          " / " + data.tokens_divisor + " tokens at " + rate + " per 1,000.";
      }
    }
    return verdict;
  }

  /* -- the emitters (request.py's json_code, python_code, typescript_code) -- */

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

  /* py_literal: JSON data as a Python literal, four spaces per level */
  function pyLiteral(value, indent) {
    indent = indent || 0;
    var pad = " ".repeat(indent), inner = " ".repeat(indent + 4);
    if (value === true) return "True";
    if (value === false) return "False";
    if (value === null || value === undefined) return "None";
    if (Array.isArray(value)) {
      if (!value.length) return "[]";
      return "[\n" + value.map(function (v) { return inner + pyLiteral(v, indent + 4); })
        .join(",\n") + ",\n" + pad + "]";
    }
    if (typeof value === "object") {
      return "{\n" + Object.keys(value).map(function (k) {
        return inner + jsonString(k, true) + ": " + pyLiteral(value[k], indent + 4);
      }).join(",\n") + ",\n" + pad + "}";
    }
    return scalar(value, false);
  }

  function jsonCode(args) { return dumps(args, 2) + "\n"; }

  function pythonCode(endpoint, args) {
    return "import fal_client\n\n" +
      "result = fal_client.subscribe(\n" +
      "    " + jsonString(endpoint, true) + ",\n" +
      "    arguments=" + pyLiteral(args, 4) + ",\n" +
      "    with_logs=True,\n" +
      ")\n" +
      "print(result[\"video\"][\"url\"], result[\"seed\"])\n";
  }

  function typescriptCode(endpoint, args) {
    var body = dumps(args, 2).split("\n").join("\n  ");
    return "import { fal } from \"@fal-ai/client\";\n\n" +
      "fal.config({ credentials: process.env.FAL_KEY });\n\n" +
      "const result = await fal.subscribe(" + jsonString(endpoint, true) + ", {\n" +
      "  input: " + body + ",\n" +
      "  logs: true,\n" +
      "});\n" +
      "console.log(result.data.video.url, result.data.seed);\n";
  }

  var api = {
    // arithmetic
    decimal: decimal, exact: exact, fixed: fixed, limitDenominator: limitDenominator,
    toDouble: toDouble, formatG: formatG, pyFloat: pyFloat,
    // pricing
    quote: quote,
    // requests
    MODES: MODES, REFERENCE_KINDS: REFERENCE_KINDS, DEFAULTS: DEFAULTS,
    placeholder: placeholder, checkRequest: checkRequest,
    // code
    jsonCode: jsonCode, pythonCode: pythonCode, typescriptCode: typescriptCode,
    pyLiteral: pyLiteral
  };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  root.Seedance = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
