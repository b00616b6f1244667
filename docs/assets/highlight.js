/* A small highlighter for the code the request builder writes in the browser:
 * JSON, Python, TypeScript and shell, as spans with Pygments' class names, so
 * the theme colours them as it colours the posts' code (which Pygments
 * highlights at build time). No network, no markup from text: every span is
 * made with createElement and filled with textContent, and the text of the
 * result is the code, character for character. */
(function (root) {
  "use strict";

  var PY_KEYWORDS = /^(?:import|from|def|return|if|elif|else|for|while|with|as|try|except|raise|pass|class|lambda|yield|global|async|await)$/;
  var TS_KEYWORDS = /^(?:import|from|export|const|let|var|await|async|function|return|if|else|for|new|of|typeof)$/;
  var CONSTANTS = /^(?:True|False|None|true|false|null|undefined)$/;

  /* [pattern (sticky), class or function of the match] per language */
  var STRING2 = /"(?:[^"\\\n]|\\.)*"/y, STRING1 = /'(?:[^'\\\n]|\\.)*'/y;
  var NUMBER = /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
  function num(m) { return /[.eE]/.test(m) ? "mf" : "mi"; }
  var RULES = {
    json: [
      [/"(?:[^"\\\n]|\\.)*"(?=\s*:)/y, "nt"], [STRING2, "s2"], [NUMBER, num],
      [/\b(?:true|false|null)\b/y, "kc"], [/[{}[\],:]/y, "p"]
    ],
    python: [
      [/#[^\n]*/y, "c1"], [STRING2, "s2"], [STRING1, "s1"], [NUMBER, num],
      [/[A-Za-z_]\w*/y, function (m, prev) {
        if (prev === "def") return "nf";
        if (prev === "import" || prev === "from") return "nn";
        if (CONSTANTS.test(m)) return "kc";
        if (/^(?:in|and|or|not|is)$/.test(m)) return "ow";
        if (PY_KEYWORDS.test(m)) return m === "import" || m === "from" ? "kn" : "k";
        if (/^(?:print|isinstance|len|range)$/.test(m)) return "nb";
        return "n";
      }],
      [/[=+\-*/%<>!]+/y, "o"], [/[()[\]{},:.;]/y, "p"]
    ],
    typescript: [
      [/\/\/[^\n]*/y, "c1"], [STRING2, "s2"], [STRING1, "s1"], [/`(?:[^`\\]|\\.)*`/y, "sb"],
      [NUMBER, num],
      [/[A-Za-z_$][\w$]*/y, function (m) {
        if (CONSTANTS.test(m)) return "kc";
        if (m === "const" || m === "let" || m === "var") return "kd";
        return TS_KEYWORDS.test(m) ? "k" : "nx";
      }],
      [/=>|===|!==|\?\.|[=+\-*/%<>!?&|]+/y, "o"], [/[()[\]{},:.;]/y, "p"]
    ],
    bash: [
      [/#[^\n]*/y, "c1"], [/"(?:[^"\\]|\\.)*"/y, "s2"], [/'[^']*'/y, "s1"],
      [/\$\{?\w+\}?/y, "nv"], [/\\(?=\n)/y, "se"], [/[<>|&;]+/y, "o"]
    ]
  };
  var LANG = { json: "json", python: "python", webhook: "python", typescript: "typescript",
    curl: "bash", ts: "typescript", bash: "bash" };

  function span(cls, text) {
    var el = document.createElement("span");
    el.className = cls;
    el.textContent = text;
    return el;
  }

  /* The tokens of `text` in `lang` as [class or "", text] pairs. */
  function tokens(text, lang) {
    var rules = RULES[LANG[lang] || lang] || [];
    var out = [], plain = "", pos = 0, prev = "";
    function flush() { if (plain) { out.push(["", plain]); plain = ""; } }
    while (pos < text.length) {
      var hit = null;
      for (var i = 0; i < rules.length && !hit; i++) {
        rules[i][0].lastIndex = pos;
        var m = rules[i][0].exec(text);
        if (m && m[0]) hit = [rules[i][1], m[0]];
      }
      if (!hit) {
        plain += text[pos];
        pos += 1;
        continue;
      }
      var cls = typeof hit[0] === "function" ? hit[0](hit[1], prev) : hit[0];
      flush();
      out.push([cls, hit[1]]);
      if (/\w/.test(hit[1][0])) prev = hit[1];
      pos += hit[1].length;
    }
    flush();
    return out;
  }

  /* `text` as a fragment of spans and text; a shell here-document's body is
   * highlighted as the JSON it carries. */
  function highlight(text, lang) {
    var frag = document.createDocumentFragment();
    var parts = [[text, lang]];
    var here = (LANG[lang] === "bash") && /<<'(\w+)'\n/.exec(text);
    if (here) {
      var start = here.index + here[0].length, end = text.indexOf("\n" + here[1] + "\n", start);
      if (end >= 0) {
        parts = [[text.slice(0, start), "bash"], [text.slice(start, end + 1), "json"],
          [text.slice(end + 1), "bash"]];
      }
    }
    parts.forEach(function (part) {
      tokens(part[0], part[1]).forEach(function (t) {
        frag.appendChild(t[0] ? span(t[0], t[1]) : document.createTextNode(t[1]));
      });
    });
    return frag;
  }

  root.SeedpressHighlight = { highlight: highlight, tokens: tokens };
})(typeof globalThis !== "undefined" ? globalThis : this);
