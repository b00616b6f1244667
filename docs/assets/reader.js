/* seedpress: accessibility touches to markup that Material's bundle creates
 * at run time (so no template can reach it).
 *
 * - landmark-unique: every code block with the copy button gets its own
 *   <nav class="md-code__nav">, all unnamed; each is named after its block.
 */
(function () {
  "use strict";

  function nameCodeNavs(root) {
    var navs = root.querySelectorAll("nav.md-code__nav:not([aria-label])");
    Array.prototype.forEach.call(navs, function (nav) {
      var all = document.querySelectorAll("nav.md-code__nav");
      var index = Array.prototype.indexOf.call(all, nav) + 1;
      nav.setAttribute("aria-label", "Code block " + index + " actions");
    });
  }

  nameCodeNavs(document);
  new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      if (records[i].addedNodes.length) { nameCodeNavs(document); return; }
    }
  }).observe(document.body, { childList: true, subtree: true });
})();
