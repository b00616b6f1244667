/* seedpress: accessibility touches to markup that Material's bundle creates
 * at run time (so no template can reach it).
 *
 * - landmark-unique: every code block with the copy button gets its own
 *   <nav class="md-code__nav">, all unnamed; each is named after its block.
 */
(function () {
  "use strict";

  function nameCodeNavs() {
    var navs = document.querySelectorAll("nav.md-code__nav");
    for (var i = 0; i < navs.length; i++) {
      if (!navs[i].hasAttribute("aria-label")) {
        navs[i].setAttribute("aria-label", "Code block actions " + (i + 1));
      }
    }
  }

  // Material mounts its components when the document is ready; label what
  // it made right after, and once more when the page has loaded.
  document.addEventListener("DOMContentLoaded", function () {
    window.setTimeout(nameCodeNavs, 0);
  });
  window.addEventListener("load", nameCodeNavs);
})();
