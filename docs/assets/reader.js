/* seedpress: accessibility touches to markup that Material's bundle creates
 * at run time (so no template can reach it).
 *
 * - landmark-unique: every code block with the copy button gets its own
 *   <nav class="md-code__nav">, all unnamed; each is named after its block.
 */
(function () {
  "use strict";

  var pending = false;

  function nameCodeNavs() {
    pending = false;
    var navs = document.querySelectorAll("nav.md-code__nav");
    for (var i = 0; i < navs.length; i++) {
      if (!navs[i].hasAttribute("aria-label")) {
        navs[i].setAttribute("aria-label", "Code block " + (i + 1) + " actions");
      }
    }
  }

  if (!document.querySelector("pre > code")) return;
  nameCodeNavs();
  new MutationObserver(function () {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(nameCodeNavs);
    }
  }).observe(document.body, { childList: true, subtree: true });
})();
