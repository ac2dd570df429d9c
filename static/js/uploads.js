// Attachments on the request pages (intake rule 4): each chosen file is announced to the portal (name and size
// checked against the charter), sent with a progress bar (straight to S3 in production, to the portal on a
// laptop), then accepted by its content. Accepted files become hidden `attachments` inputs of the form; the form
// waits until every upload has ended. Without JavaScript the request is still filed, without files.
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  }

  function postJson(url, body, token) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json"},
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return {ok: response.ok, status: response.status, body: json};
      });
    });
  }

  function send(started, file, token, onProgress) {
    // One multipart POST with the presigned fields first and the file last, as S3 requires.
    return new Promise(function (resolve) {
      var data = new FormData();
      Object.keys(started.fields || {}).forEach(function (name) { data.append(name, started.fields[name]); });
      data.append("file", file, started.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", started.url);
      if (started.url.charAt(0) === "/") {
        xhr.withCredentials = true;
        xhr.setRequestHeader("X-CSRFToken", token);
      }
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { onProgress(event.loaded, event.total); }
      });
      xhr.addEventListener("load", function () {
        var json = {};
        try { json = JSON.parse(xhr.responseText || "{}"); } catch (ignored) { json = {}; }
        resolve({ok: xhr.status >= 200 && xhr.status < 300, status: xhr.status, body: json});
      });
      xhr.addEventListener("error", function () { resolve({ok: false, status: 0, body: {}}); });
      xhr.send(data);
    });
  }

  function errorMessage(answer, messages) {
    return (answer.body && answer.body.error && answer.body.error.message) || messages.failed ||
      "The file could not be sent.";
  }

  function setUp(input) {
    var form = input.form;
    var list = document.createElement("ul");
    list.className = "uploads";
    list.setAttribute("aria-live", "polite");
    input.parentNode.appendChild(list);
    var pending = 0;
    var messages = JSON.parse(input.getAttribute("data-messages") || "{}");

    function addRow(name) {
      var row = document.createElement("li");
      var label = document.createElement("span");
      label.textContent = name;
      var progress = document.createElement("progress");
      progress.max = 100;
      progress.value = 0;
      var status = document.createElement("span");
      status.className = "upload-status";
      status.textContent = messages.uploading || "";
      row.appendChild(label);
      row.appendChild(progress);
      row.appendChild(status);
      list.appendChild(row);
      return {row: row, progress: progress, status: status};
    }

    function accepted(view, uploadId) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "attachments";
      hidden.value = uploadId;
      form.appendChild(hidden);
      view.progress.value = 100;
      view.status.textContent = messages.uploaded || "";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link";
      remove.textContent = messages.remove || "Remove";
      remove.addEventListener("click", function () {
        fetch("/uploads/" + encodeURIComponent(uploadId), {
          method: "DELETE", credentials: "same-origin", headers: {"X-CSRFToken": csrfToken(form)}
        });
        hidden.remove();
        view.row.remove();
      });
      view.row.appendChild(remove);
    }

    function refused(view, message) {
      view.row.classList.add("error");
      view.progress.remove();
      view.status.textContent = message;
    }

    function upload(file) {
      var view = addRow(file.name);
      var token = csrfToken(form);
      pending += 1;
      return postJson(input.getAttribute("data-start-url"), {name: file.name, size: file.size}, token)
        .then(function (start) {
          if (!start.ok) { refused(view, errorMessage(start, messages)); return; }
          messages = start.body.messages || messages;
          return send(start.body, file, token, function (loaded, total) {
            view.progress.value = Math.round(loaded * 95 / total);
          }).then(function (sent) {
            if (!sent.ok) { refused(view, errorMessage(sent, messages)); return; }
            view.status.textContent = messages.checking || "";
            return postJson("/uploads/" + encodeURIComponent(start.body.upload_id) + "/done", undefined, token)
              .then(function (done) {
                if (done.ok) { accepted(view, done.body.upload_id); } else { refused(view, errorMessage(done, messages)); }
              });
          });
        })
        .catch(function () { refused(view, messages.failed || "The file could not be sent."); })
        .then(function () { pending -= 1; });
    }

    input.addEventListener("change", function () {
      Array.prototype.forEach.call(input.files, upload);
      input.value = "";
    });
    form.addEventListener("submit", function (event) {
      if (pending > 0) {
        event.preventDefault();
        window.alert(messages.wait || "Please wait until the files are uploaded.");
      }
    });
  }

  document.querySelectorAll("input[type=file][data-upload]").forEach(setUp);
}());
