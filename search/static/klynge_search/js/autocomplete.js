// Title suggestions for the search field, from /soeg/forslag/, offered
// through the field's <datalist>: the browser's own, keyboard-accessible
// list. Without JavaScript the form works the same, without suggestions.
(function () {
  "use strict";
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-q-suggestions");
  if (!input || !list || !window.fetch) {
    return;
  }
  var url = input.getAttribute("data-suggest-url");
  var timer = null;
  var last = "";

  function fill(titles) {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    titles.forEach(function (title) {
      var option = document.createElement("option");
      option.value = title;
      list.appendChild(option);
    });
  }

  input.addEventListener("input", function () {
    var value = input.value.trim();
    window.clearTimeout(timer);
    if (value.length < 2 || value === last) {
      return;
    }
    timer = window.setTimeout(function () {
      last = value;
      window
        .fetch(url + "?q=" + encodeURIComponent(value), {
          headers: { Accept: "application/json" },
        })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (input.value.trim() === value) {
            fill(data.suggestions || []);
          }
        })
        .catch(function () {
          fill([]);
        });
    }, 200);
  });
})();
