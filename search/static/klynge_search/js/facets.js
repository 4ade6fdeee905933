// The facets ("Filtrér") are a <details> disclosure, closed, so that on a
// phone the results come first and the disclosure works without JavaScript.
// On a wider screen this keeps it open as a side column, without its
// summary; on a phone it stays as the citizen left it.
(function () {
  "use strict";
  var facets = document.getElementById("filtre");
  if (!facets || !window.matchMedia) {
    return;
  }
  var wide = window.matchMedia("(min-width: 48em)");

  function apply() {
    if (wide.matches) {
      facets.open = true;
      facets.classList.add("search-facets--column");
    } else {
      facets.classList.remove("search-facets--column");
    }
  }

  apply();
  if (wide.addEventListener) {
    wide.addEventListener("change", apply);
  }
})();
