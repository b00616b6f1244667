/* seedpress blog index: sort, filter by category and keyword, in place.
 *
 * Progressive enhancement: without JavaScript the index is the plain list
 * of posts, newest first, and the form is hidden (html.no-js). With it, the
 * form #sp-blog-filter works: the list items of #sp-post-list are shown,
 * hidden and reordered from their data-created, data-updated,
 * data-categories and data-search attributes.
 * The state lives in the URL query (?keyword=...&category=...&sort=updated),
 * so a filtered view can be shared and survives a reload. (Not "q": the
 * theme's search reads that one and would open its dialog with it.)
 */
(function () {
  "use strict";

  var form = document.getElementById("sp-blog-filter");
  var list = document.getElementById("sp-post-list");
  if (!form || !list) return;

  var items = Array.prototype.slice.call(list.querySelectorAll(":scope > li.sp-post"));
  var empty = document.getElementById("sp-blog-empty");
  var count = document.getElementById("sp-blog-count");
  var reset = form.querySelector("button[type=reset]");
  var keyword = form.elements.namedItem("keyword");
  var sort = form.elements.namedItem("sort");
  var radios = Array.prototype.slice.call(form.querySelectorAll("input[name=category]"));
  var known = radios.map(function (r) { return r.value; });

  function terms(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function currentCategory() {
    var checked = radios.filter(function (r) { return r.checked; })[0];
    return checked ? checked.value : "";
  }

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var category = params.get("category") || "";
    return {
      q: params.get("keyword") || "",
      category: known.indexOf(category) >= 0 ? category : "",
      sort: params.get("sort") === "updated" ? "updated" : "created"
    };
  }

  function showState(state) {
    keyword.value = state.q;
    sort.value = state.sort;
    radios.forEach(function (r) { r.checked = r.value === state.category; });
  }

  function formState() {
    return { q: keyword.value.trim(), category: currentCategory(), sort: sort.value };
  }

  function writeUrl(state) {
    var params = new URLSearchParams(window.location.search);
    params.delete("keyword");
    params.delete("category");
    params.delete("sort");
    if (state.q) params.set("keyword", state.q);
    if (state.category) params.set("category", state.category);
    if (state.sort !== "created") params.set("sort", state.sort);
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(null, "", url);
    }
  }

  function apply(state) {
    var wanted = terms(state.q);
    var key = state.sort === "updated" ? "updated" : "created";
    var ordered = items.slice().sort(function (a, b) {
      var x = a.getAttribute("data-" + key), y = b.getAttribute("data-" + key);
      if (x !== y) return x < y ? 1 : -1;
      var cx = a.getAttribute("data-created"), cy = b.getAttribute("data-created");
      return cx === cy ? items.indexOf(a) - items.indexOf(b) : (cx < cy ? 1 : -1);
    });
    var shown = 0;
    ordered.forEach(function (item) {
      var categories = (item.getAttribute("data-categories") || "").split(" ");
      var haystack = item.getAttribute("data-search") || "";
      var match = (!state.category || categories.indexOf(state.category) >= 0) &&
        wanted.every(function (t) { return haystack.indexOf(t) >= 0; });
      item.hidden = !match;
      if (match) shown += 1;
      list.appendChild(item);
    });
    var filtered = Boolean(state.q || state.category);
    var noun = items.length === 1 ? " guide" : " guides";
    count.textContent = filtered
      ? "Showing " + shown + " of " + items.length + noun
      : items.length + noun + ", " + (key === "updated" ? "recently updated first" : "newest first");
    if (empty) empty.hidden = shown !== 0;
    if (reset) reset.hidden = !filtered;
    form.setAttribute("data-filtered", filtered ? "true" : "false");
  }

  function update() {
    var state = formState();
    apply(state);
    writeUrl(state);
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("reset", function () {
    window.setTimeout(function () { showState({ q: "", category: "", sort: "created" }); update(); }, 0);
  });
  if (empty) {
    var showAll = empty.querySelector("a");
    if (showAll) {
      showAll.addEventListener("click", function (event) { event.preventDefault(); form.reset(); });
    }
  }
  window.addEventListener("popstate", function () { var s = readState(); showState(s); apply(s); });

  var initial = readState();
  showState(initial);
  apply(initial);
  form.hidden = false;
})();
