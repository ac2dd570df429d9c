// While a customer describes a request, the five most relevant knowledge-base articles appear (no reload).
// The ids shown are sent with the request, so staff can see which articles did not answer it.
// Each article offers "This answered my question": counted, and the intake ends without a request.
// "I still need help" closes the suggestions and the customer goes on with the request.
(function () {
  var form = document.getElementById("request-form");
  var box = document.getElementById("kb-suggestions");
  if (!form || !box) { return; }
  var shown = form.querySelector("input[name=kb_shown]");
  var token = form.querySelector("input[name=csrf_token]");
  var seen = {};
  // A form that came back with an error keeps the articles already shown (rule T7: they count when it is filed).
  (shown.value || "").split(",").forEach(function (id) { if (id) { seen[id] = true; } });
  var timer = null;
  var dismissed = false;

  function value(name) {
    var field = form.querySelector("[name=" + name + "]");
    return field ? field.value : "";
  }

  function answered(article, button) {
    button.disabled = true;
    fetch(article.answered_url, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", "Accept": "application/json" }
    })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (body) { window.location.assign(body.next); })
      .catch(function () { button.disabled = false; });
  }

  function stillNeedHelp() {
    dismissed = true;
    box.hidden = true;
    var next = form.querySelector("[name^=fact_], [name=fact_description]");
    if (next) { next.focus(); }
  }

  function footer(labels) {
    var bar = box.querySelector(".kb-still-need-help");
    if (!bar) {
      bar = document.createElement("p");
      bar.className = "kb-still-need-help";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link-button";
      button.addEventListener("click", stillNeedHelp);
      bar.appendChild(button);
      box.appendChild(bar);
    }
    bar.querySelector("button").textContent = labels.still_need_help;
  }

  function render(body) {
    if (dismissed) { return; }
    var articles = body.articles || [];
    var list = box.querySelector("ul");
    list.textContent = "";
    articles.forEach(function (article) {
      seen[article.id] = true;
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = article.url + "?from=intake";
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = article.title;
      item.appendChild(link);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kb-answered";
      button.setAttribute("data-article", article.id);
      button.textContent = body.labels.answered;
      button.addEventListener("click", function () { answered(article, button); });
      item.appendChild(document.createTextNode(" "));
      item.appendChild(button);
      list.appendChild(item);
    });
    if (articles.length) { footer(body.labels); }
    box.hidden = articles.length === 0;
    shown.value = Object.keys(seen).join(",");
  }

  function ask() {
    if (dismissed) { return; }
    var query = (value("subject") + " " + value("fact_description")).trim();
    if (query.length < 3) { return; }
    var params = new URLSearchParams({ q: query, product: value("product"), version: value("version") });
    fetch(box.getAttribute("data-url") + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { articles: [] }; })
      .then(render)
      .catch(function () { box.hidden = true; });
  }

  form.addEventListener("input", function (event) {
    if (["subject", "fact_description", "version"].indexOf(event.target.name) === -1) { return; }
    clearTimeout(timer);
    timer = setTimeout(ask, 400);
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "product") { ask(); }
  });
})();
