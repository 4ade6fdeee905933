/*
 * Attachments by drag and drop in the meeting editor: files dropped onto an
 * agenda item's drop zone (or picked with "Vælg filer") are sent to the
 * upload view (klynge_pages/attachment_upload.py), which checks and stores
 * them as the cluster's documents and names them ("Bilag 3", "Psykiatri").
 * Each accepted file then gets a row of the item's attachments, added
 * through the panel's own "add" button, with its document and label filled
 * in; refused files are listed with the server's Danish reasons. Every text
 * shown comes from the drop zone's data attributes (attachments_panel.html).
 */
(function () {
  "use strict";

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  function csrfToken(zone) {
    var form = zone.closest("form");
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // The labels of every attachment row of the meeting still in the form, so
  // that new numbers follow those not saved yet as well.
  function takenLabels(zone) {
    var form = zone.closest("form") || document;
    var inputs = form.querySelectorAll(
      'input[name^="agenda_items-"][name$="-label"]'
    );
    return Array.prototype.filter
      .call(inputs, function (input) {
        return (
          input.name.indexOf("-attachments-") !== -1 &&
          input.name.indexOf("__prefix__") === -1 &&
          !input.closest("[data-inline-panel-child].deleted")
        );
      })
      .map(function (input) {
        return input.value;
      });
  }

  function addRow(zone, result) {
    var prefix = zone.dataset.formsetPrefix;
    var add = document.getElementById(prefix + "-ADD");
    var total = document.getElementById(prefix + "-TOTAL_FORMS");
    if (!add || !total) {
      return false;
    }
    add.click();
    var index = parseInt(total.value, 10) - 1;
    var rowPrefix = prefix + "-" + index;
    var label = document.getElementById(rowPrefix + "-label");
    if (label) {
      label.value = result.label;
      label.dispatchEvent(new Event("change", { bubbles: true }));
    }
    var chooser = document.getElementById(rowPrefix + "-document-chooser");
    if (chooser && chooser.widget) {
      chooser.widget.setState(result.document);
    } else {
      var input = document.getElementById(rowPrefix + "-document");
      if (!input) {
        return false;
      }
      input.value = result.document.id;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    return true;
  }

  function show(zone, summary, refused) {
    var status = zone.querySelector("[data-klynge-dropzone-status]");
    status.textContent = "";
    summary.forEach(function (line) {
      var paragraph = document.createElement("p");
      paragraph.textContent = line;
      status.appendChild(paragraph);
    });
    if (refused && refused.length) {
      var list = document.createElement("ul");
      list.className = "klynge-dropzone__errors";
      refused.forEach(function (result) {
        var item = document.createElement("li");
        item.textContent = result.name + ": " + result.errors.join(" ");
        list.appendChild(item);
      });
      status.appendChild(list);
    }
    status.classList.toggle("klynge-dropzone__status--error", !!(refused && refused.length));
  }

  function upload(zone, files) {
    var texts = zone.dataset;
    files = Array.prototype.slice.call(files || []);
    if (!files.length || zone.classList.contains("is-uploading")) {
      return;
    }
    var max = parseInt(texts.maxFiles, 10);
    if (max && files.length > max) {
      show(zone, [texts.textTooMany]);
      return;
    }
    var body = new FormData();
    files.forEach(function (file) {
      body.append("files", file, file.name);
    });
    takenLabels(zone).forEach(function (label) {
      body.append("taken", label);
    });
    zone.classList.add("is-uploading");
    zone.setAttribute("aria-busy", "true");
    show(zone, [format(texts.textUploading, { count: files.length })]);
    fetch(texts.uploadUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(zone), "X-Requested-With": "XMLHttpRequest" },
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return { error: texts.textServer };
          });
      })
      .then(function (data) {
        if (data.error || !data.files) {
          show(zone, [data.error || texts.textServer]);
          return;
        }
        var added = [];
        var refused = [];
        data.files.forEach(function (result) {
          if (result.ok && addRow(zone, result)) {
            added.push(result.display_label);
          } else if (!result.ok) {
            refused.push(result);
          }
        });
        var summary = [];
        if (added.length) {
          summary.push(format(texts.textAdded, { count: added.length, names: added.join(", ") }));
        }
        if (refused.length) {
          summary.push(format(texts.textRefused, { count: refused.length }));
        }
        show(zone, summary, refused);
      })
      .catch(function () {
        show(zone, [texts.textNetwork]);
      })
      .then(function () {
        zone.classList.remove("is-uploading");
        zone.removeAttribute("aria-busy");
      });
  }

  function hasFiles(event) {
    var types = event.dataTransfer && event.dataTransfer.types;
    return !!types && Array.prototype.indexOf.call(types, "Files") !== -1;
  }

  function init(zone) {
    if (zone.dataset.klyngeDropzoneReady) {
      return;
    }
    zone.dataset.klyngeDropzoneReady = "true";
    var input = zone.querySelector("[data-klynge-dropzone-input]");
    zone.querySelector("[data-klynge-dropzone-choose]").addEventListener("click", function () {
      input.click();
    });
    input.addEventListener("change", function () {
      upload(zone, input.files);
      input.value = "";
    });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        if (!hasFiles(event)) {
          return;
        }
        event.preventDefault();
        event.dataTransfer.dropEffect = "copy";
        zone.classList.add("is-dragover");
      });
    });
    zone.addEventListener("dragleave", function (event) {
      if (!zone.contains(event.relatedTarget)) {
        zone.classList.remove("is-dragover");
      }
    });
    zone.addEventListener("drop", function (event) {
      if (!hasFiles(event)) {
        return;
      }
      event.preventDefault();
      zone.classList.remove("is-dragover");
      upload(zone, event.dataTransfer.files);
    });
  }

  function initAll() {
    document.querySelectorAll("[data-klynge-dropzone]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
  // Agenda items added in the editor bring their own drop zone.
  document.addEventListener("w-formset:added", initAll);
  // Files dropped beside a drop zone would make the browser open them and
  // leave the editor, unsaved work and all (a file input still takes them).
  ["dragover", "drop"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var target = event.target;
      if (
        hasFiles(event) &&
        target.closest &&
        !target.closest('[data-klynge-dropzone], input[type="file"]')
      ) {
        event.preventDefault();
        if (event.dataTransfer) {
          event.dataTransfer.dropEffect = "none";
        }
      }
    });
  });
})();
